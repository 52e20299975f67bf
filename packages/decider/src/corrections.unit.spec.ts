import { describe, expect, it } from 'vitest';
import {
  decideCorrection,
  type CorrectionRules,
  type DataSchema,
  type RetractionData,
} from './corrections.js';
import { DomainError } from './domain-error.js';
import type { History } from './history.js';

type Event =
  | { type: 'Placed'; data: { placementId: string; shelter: string; legalBasis?: string } }
  | { type: 'Noted'; data: { text: string } }
  | { type: 'Opened'; data: Record<string, never> }
  | { type: 'EventRetracted'; data: RetractionData }
  | { type: 'EventAmended'; data: { amendedEventId: string; replacement: object } };
type Entry = { eventId: string; event: Event };

/** A schema of required string fields: enough to show what a replacement must be. */
const strings = (...keys: string[]): DataSchema => ({
  safeParse(value) {
    const data = value as Record<string, unknown>;
    const missing = keys.find((key) => typeof data[key] !== 'string');
    if (missing !== undefined)
      return {
        success: false,
        error: { issues: [{ message: 'Expected a string', path: [missing] }] },
      };
    return { success: true, data: Object.fromEntries(keys.map((key) => [key, data[key]])) };
  },
});

const rules: CorrectionRules<Entry> = {
  schemas: { Placed: strings('placementId', 'shelter'), Noted: strings('text'), Opened: strings() },
  notFound: 'No such event on this journey',
  namesTargetField: false,
};

function historyOf(...entries: Entry[]): History<Entry> {
  return entries.reduce<History<Entry>>((earlier, entry) => ({ entry, earlier }), undefined);
}

const placed: Entry = {
  eventId: 'e1',
  event: { type: 'Placed', data: { placementId: 'p1', shelter: 'north' } },
};
const noted: Entry = { eventId: 'e2', event: { type: 'Noted', data: { text: 'hello' } } };
const opened: Entry = { eventId: 'e0', event: { type: 'Opened', data: {} } };
const retraction = (id: string) => ({
  type: 'RetractEvent' as const,
  data: { retractedEventId: id },
});
const amendment = (id: string, replacement: Record<string, unknown>) => ({
  type: 'AmendEvent' as const,
  data: { amendedEventId: id, replacement },
});

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('decideCorrection', () => {
  describe('when the target is not in the history', () => {
    it('refuses with EVENT_NOT_FOUND, naming the id field', () => {
      const error = refusal(() => decideCorrection(retraction('nope'), historyOf(placed), rules));
      expect(error).toMatchObject({
        code: 'EVENT_NOT_FOUND',
        kind: 'not_found',
        field: 'retractedEventId',
        message: 'No such event on this journey',
      });
    });
  });

  describe('when the target is a recorded event', () => {
    it('retracts it', () => {
      expect(decideCorrection(retraction('e1'), historyOf(placed), rules)).toEqual([
        { type: 'EventRetracted', data: { retractedEventId: 'e1' } },
      ]);
    });

    it('amends it with a valid replacement, stored as given', () => {
      const replacement = { placementId: 'p1', shelter: 'south', extra: 1 };
      expect(decideCorrection(amendment('e1', replacement), historyOf(placed), rules)).toEqual([
        { type: 'EventAmended', data: { amendedEventId: 'e1', replacement } },
      ]);
    });

    it('stores the replacement as parsed when the service says so', () => {
      const replacement = { placementId: 'p1', shelter: 'south', extra: 1 };
      const events = decideCorrection(amendment('e1', replacement), historyOf(placed), {
        ...rules,
        storesParsedReplacement: true,
      });
      expect(events).toEqual([
        {
          type: 'EventAmended',
          data: { amendedEventId: 'e1', replacement: { placementId: 'p1', shelter: 'south' } },
        },
      ]);
    });

    it('refuses a replacement that is not valid for the type, naming the path', () => {
      const error = refusal(() =>
        decideCorrection(amendment('e1', { placementId: 'p1' }), historyOf(placed), rules),
      );
      expect(error).toMatchObject({
        code: 'AMENDMENT_INVALID',
        message: 'The replacement is not a valid Placed: Expected a string',
        field: 'replacement.shelter',
      });
    });

    it('refuses to change a kept field, naming the top-level field', () => {
      const kept: CorrectionRules<Entry> = {
        ...rules,
        kept: [
          { fields: ['placementId'], code: 'AMENDMENT_CHANGES_ID', message: () => 'ids stay' },
          {
            fields: ['legalBasis', 'override.by'],
            code: 'AMENDMENT_CHANGES_LEGAL_BASIS',
            message: (field) => `keeps the ${field}`,
          },
        ],
      };
      const moved = refusal(() =>
        decideCorrection(
          amendment('e1', { placementId: 'p2', shelter: 'north' }),
          historyOf(placed),
          kept,
        ),
      );
      expect(moved).toMatchObject({
        code: 'AMENDMENT_CHANGES_ID',
        field: 'replacement.placementId',
      });
      const schemas = {
        ...rules.schemas,
        Placed: { safeParse: (data: unknown) => ({ success: true as const, data }) },
      };
      const overridden = refusal(() =>
        decideCorrection(
          amendment('e1', { placementId: 'p1', shelter: 'north', override: { by: 'u' } }),
          historyOf(placed),
          { ...kept, schemas },
        ),
      );
      expect(overridden).toMatchObject({
        code: 'AMENDMENT_CHANGES_LEGAL_BASIS',
        message: 'keeps the override',
        field: 'replacement.override',
      });
    });

    it("runs the service's own check of the replacement last", () => {
      const checked: unknown[] = [];
      decideCorrection(amendment('e2', { text: 'hi' }), historyOf(noted), {
        ...rules,
        checkAmendment: (type, replacement) => checked.push([type, replacement]),
      });
      expect(checked).toEqual([['Noted', { text: 'hi' }]]);
    });

    it('refuses to amend a decision where the service says so', () => {
      const error = refusal(() =>
        decideCorrection(amendment('e1', { placementId: 'p1', shelter: 'x' }), historyOf(placed), {
          ...rules,
          decisions: { isDecision: (type) => type === 'Placed', message: 'retract it instead' },
        }),
      );
      expect(error).toMatchObject({
        code: 'DECISION_NOT_AMENDABLE',
        message: 'retract it instead',
        field: 'amendedEventId',
      });
    });

    it("tells the service's retraction check the later entries that still count", () => {
      const retractedNote: Entry = {
        eventId: 'e3',
        event: { type: 'EventRetracted', data: { retractedEventId: 'e2' } },
      };
      const told: unknown[] = [];
      decideCorrection(retraction('e1'), historyOf(placed, noted, retractedNote), {
        ...rules,
        checkRetraction: (target, later, field) =>
          told.push([target.eventId, later.map((entry) => entry.eventId), field]),
      });
      expect(told).toEqual([['e1', ['e3'], 'retractedEventId']]);
    });
  });

  describe('when the target is one the service never corrects', () => {
    const uncorrectable = {
      ...rules,
      uncorrectable: { type: 'Opened', code: 'OPENING_NOT_CORRECTABLE', message: 'stays' },
    };

    it('refuses, naming the field only where the service does', () => {
      expect(
        refusal(() => decideCorrection(retraction('e0'), historyOf(opened), uncorrectable)),
      ).toMatchObject({ code: 'OPENING_NOT_CORRECTABLE', message: 'stays', field: undefined });
      expect(
        refusal(() =>
          decideCorrection(retraction('e0'), historyOf(opened), {
            ...uncorrectable,
            namesTargetField: true,
          }),
        ),
      ).toMatchObject({ code: 'OPENING_NOT_CORRECTABLE', field: 'retractedEventId' });
    });
  });

  describe('when the target is a correction', () => {
    const correction: Entry = {
      eventId: 'e9',
      event: { type: 'EventRetracted', data: { retractedEventId: 'e1' } },
    };

    it('refuses with CORRECTION_NOT_CORRECTABLE', () => {
      const error = refusal(() =>
        decideCorrection(retraction('e9'), historyOf(placed, correction), {
          ...rules,
          namesTargetField: true,
        }),
      );
      expect(error).toMatchObject({
        code: 'CORRECTION_NOT_CORRECTABLE',
        kind: 'precondition',
        field: 'retractedEventId',
      });
    });
  });

  describe('when the target was already retracted', () => {
    const retracted: Entry = {
      eventId: 'e9',
      event: { type: 'EventRetracted', data: { retractedEventId: 'e1' } },
    };

    it('refuses a retraction and an amendment alike, as a conflict', () => {
      for (const command of [retraction('e1'), amendment('e1', {})]) {
        const error = refusal(() => decideCorrection(command, historyOf(placed, retracted), rules));
        expect(error).toMatchObject({
          code: 'EVENT_ALREADY_RETRACTED',
          kind: 'conflict',
          message: 'The event was already retracted',
          field: undefined,
        });
      }
    });
  });
});
