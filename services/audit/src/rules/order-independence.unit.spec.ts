import type { RecordedEvent } from '@waypoint/eventstore';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compliantChildReturnJourney, NL_PROFILE } from '../testing/journeys.js';
import { auditJourney } from './evaluate.js';

/**
 * Rules sort by occurrence time and event id, never by recorded position: events that happened at
 * the same moment may be recorded in any order (and get other revisions) without changing a finding.
 */

/** A journey with breaches among many ties: legal facts of one day all occur at 00:00Z. */
function journeyWithTies(): { journeyId: string; recorded: RecordedEvent[] } {
  const { journey } = compliantChildReturnJourney({ guardianAt: '2025-03-03T09:11:00Z' });
  const body = { type: 'Police', name: 'Police unit' } as const;
  for (const kind of ['immigration', 'criminal'] as const)
    journey.legal({
      type: 'DetentionStarted',
      data: { detentionId: journey.id(), actingBody: body, occurredOn: '2025-03-20', kind },
    });
  journey.legal({
    type: 'RemovalEnforced',
    data: { actingBody: body, occurredOn: '2025-03-20', kind: 'expulsion' },
  });
  for (const purpose of ['immigration', 'criminal_investigation', 'court_hearing'] as const)
    journey.legal({
      type: 'InterviewConducted',
      data: {
        actingBody: body,
        occurredOn: '2025-03-20',
        purpose,
        professions: ['police_officer', 'judge', 'psychologist'],
        childAdaptedPremises: false,
        interpreterUsed: false,
        legalAssistancePresent: false,
      },
    });
  return { journeyId: journey.journeyId, recorded: journey.recorded };
}

/** Reorders the events within each group of equal occurrence time, then renumbers each stream. */
function reorderTies(
  recorded: readonly RecordedEvent[],
  seeds: readonly number[],
): RecordedEvent[] {
  const groups = new Map<string, number[]>();
  recorded.forEach((event, index) => {
    const slots = groups.get(event.metadata.occurredAt) ?? [];
    slots.push(index);
    groups.set(event.metadata.occurredAt, slots);
  });
  const reordered = [...recorded];
  let seed = 0;
  for (const slots of groups.values()) {
    const members = slots.map((index) => recorded[index] as RecordedEvent);
    const shuffled = members
      .map((event, position) => ({ event, key: seeds[(seed + position) % seeds.length] ?? 0 }))
      .sort((a, b) => a.key - b.key)
      .map(({ event }) => event);
    seed += slots.length;
    slots.forEach((index, position) => {
      reordered[index] = shuffled[position] as RecordedEvent;
    });
  }
  const revisions = new Map<string, number>();
  return reordered.map((event) => {
    const revision = (revisions.get(event.stream) ?? -1) + 1;
    revisions.set(event.stream, revision);
    return { ...event, revision };
  });
}

describe('findings do not depend on the recorded order of simultaneous events', () => {
  const { journeyId, recorded } = journeyWithTies();
  const audit = (events: readonly RecordedEvent[]) =>
    auditJourney({
      journeyId,
      recorded: events,
      profiles: [NL_PROFILE],
      asOf: '2026-07-01T00:00:00Z',
    })?.findings;
  const expected = audit(recorded);

  it('the journey has ties and findings to disturb', () => {
    expect(expected?.length).toBeGreaterThan(5);
    const times = recorded.map((event) => event.metadata.occurredAt);
    expect(new Set(times).size).toBeLessThan(times.length - 5);
  });

  it('any reordering of ties gives the same findings', () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { minLength: 1, maxLength: 200 }), (seeds) => {
        expect(audit(reorderTies(recorded, seeds))).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
