import type { DomainEvent } from './decider.js';
import { DomainError, type DomainErrorKind } from './domain-error.js';
import { historyToArray, type History } from './history.js';

/**
 * Mistakes are corrected by new events, never by edits: a retraction makes an event stop
 * counting, an amendment makes it count with replacement data. Every write service decides both
 * the same way, with its own few rules on top; this is that common decision.
 */

/** What a retraction carries at least (the contracts' `EventRetracted` data). */
export interface RetractionData {
  readonly retractedEventId: string;
}

/** What an amendment carries at least (the contracts' `EventAmended` data). */
export interface AmendmentData {
  readonly amendedEventId: string;
  readonly replacement: Readonly<Record<string, unknown>>;
}

export type Correction<Retraction extends RetractionData, Amendment extends AmendmentData> =
  | { readonly type: 'RetractEvent'; readonly data: Retraction }
  | { readonly type: 'AmendEvent'; readonly data: Amendment };

/** The event a correction command decides: its data is the command's. */
export type CorrectionEvent<Command extends Correction<RetractionData, AmendmentData>> =
  Command extends { readonly type: 'RetractEvent'; readonly data: infer Retraction }
    ? { readonly type: 'EventRetracted'; readonly data: Retraction }
    : Command extends { readonly type: 'AmendEvent'; readonly data: infer Amendment }
      ? { readonly type: 'EventAmended'; readonly data: Amendment }
      : never;

/** An event of the history with its id: what a correction refers to. */
export interface CorrectableEntry {
  readonly eventId: string;
  readonly event: DomainEvent;
}

/** An event type's data schema (a zod schema): a replacement must parse with it. */
export interface DataSchema {
  safeParse(value: unknown):
    | { readonly success: true; readonly data: unknown }
    | {
        readonly success: false;
        readonly error: {
          readonly issues: readonly {
            readonly message: string;
            readonly path: readonly PropertyKey[];
          }[];
        };
      };
}

/** Fields an amendment may not change, and how the refusal is worded. */
export interface KeptFields {
  /** Top-level fields, or dotted paths into one (`override.supervisorUserId`). */
  readonly fields: readonly string[];
  readonly code: string;
  /** Told the top-level field that changed, which the refusal also names. */
  readonly message: (field: string) => string;
}

type CorrectionType = 'EventRetracted' | 'EventAmended';

/** What differs from one service to another. */
export interface CorrectionRules<Entry extends CorrectableEntry> {
  /** The family's data schemas by event type (`careEventData`). */
  readonly schemas: {
    readonly [Type in Exclude<Entry['event']['type'], CorrectionType>]: DataSchema;
  };
  /** How EVENT_NOT_FOUND words it: `No such event on this journey`. */
  readonly notFound: string;
  /**
   * Whether the refusals about the target (a correction itself, already retracted, one the
   * service never corrects) name the id field, as EVENT_NOT_FOUND and DECISION_NOT_AMENDABLE do.
   */
  readonly namesTargetField: boolean;
  /** An event type no correction touches (the opening of a journey, an override on record). */
  readonly uncorrectable?: {
    readonly type: string;
    readonly code: string;
    readonly message: string;
  };
  /**
   * Decisions taken through guards are retracted and taken again, never amended (amending would
   * take them again without their guards): which types they are, and how the refusal says so.
   */
  readonly decisions?: { readonly isDecision: (type: string) => boolean; readonly message: string };
  /** What an amendment keeps: ids that tie events together, the legal basis of a decision. */
  readonly kept?: readonly KeptFields[];
  /** The service's own checks of a valid replacement, after the kept fields. */
  readonly checkAmendment?: (type: string, replacement: Readonly<Record<string, unknown>>) => void;
  /** The service's own checks of a retraction, told the entries after the target that still count. */
  readonly checkRetraction?: (target: Entry, later: readonly Entry[], field: string) => void;
  /** Store the replacement as parsed (unknown keys dropped, defaults applied), not as given. */
  readonly storesParsedReplacement?: boolean;
}

/** The value at a dotted path, or undefined where the path leads nowhere. */
function valueAt(data: Readonly<Record<string, unknown>>, path: string): unknown {
  let value: unknown = data;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Readonly<Record<string, unknown>>)[key];
  }
  return value;
}

/**
 * Decides a retraction or an amendment against the history: the target exists, is not itself a
 * correction, is not already retracted; an amendment's replacement is valid for the target's type
 * and keeps what the service says it keeps.
 */
export function decideCorrection<
  Command extends Correction<RetractionData, AmendmentData>,
  Entry extends CorrectableEntry,
>(
  command: Command,
  history: History<Entry>,
  rules: CorrectionRules<Entry>,
): CorrectionEvent<Command>[] {
  return decide(command, history, rules) as CorrectionEvent<Command>[];
}

/** The decision, typed by the command's own data; the caller's type follows from its command. */
function decide<Entry extends CorrectableEntry>(
  command: Correction<RetractionData, AmendmentData>,
  history: History<Entry>,
  rules: CorrectionRules<Entry>,
): CorrectionEvent<Correction<RetractionData, AmendmentData>>[] {
  const retraction = command.type === 'RetractEvent';
  const targetId = retraction ? command.data.retractedEventId : command.data.amendedEventId;
  const field = retraction ? 'retractedEventId' : 'amendedEventId';
  const refusal = (code: string, message: string, kind: DomainErrorKind): DomainError =>
    new DomainError(code, message, kind, rules.namesTargetField ? field : undefined);

  const entries = historyToArray(history);
  const index = entries.findIndex((entry) => entry.eventId === targetId);
  const target = entries[index];
  if (!target) throw new DomainError('EVENT_NOT_FOUND', rules.notFound, 'not_found', field);
  const type = target.event.type;
  if (type === 'EventRetracted' || type === 'EventAmended')
    throw refusal(
      'CORRECTION_NOT_CORRECTABLE',
      'A correction is corrected by another correction of the original event',
      'precondition',
    );
  if (rules.uncorrectable?.type === type)
    throw refusal(rules.uncorrectable.code, rules.uncorrectable.message, 'precondition');
  const retracted = new Set(
    entries.flatMap(({ event }) =>
      event.type === 'EventRetracted' ? [(event.data as RetractionData).retractedEventId] : [],
    ),
  );
  if (retracted.has(targetId))
    throw refusal('EVENT_ALREADY_RETRACTED', 'The event was already retracted', 'conflict');

  if (command.type === 'RetractEvent') {
    const later = entries.slice(index + 1).filter((entry) => !retracted.has(entry.eventId));
    rules.checkRetraction?.(target, later, field);
    return [{ type: 'EventRetracted', data: command.data }];
  }

  if (rules.decisions?.isDecision(type))
    throw new DomainError('DECISION_NOT_AMENDABLE', rules.decisions.message, 'precondition', field);
  const schema = rules.schemas[type as Exclude<Entry['event']['type'], CorrectionType>];
  const parsed = schema.safeParse(command.data.replacement);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DomainError(
      'AMENDMENT_INVALID',
      `The replacement is not a valid ${type}: ${issue?.message ?? ''}`,
      'precondition',
      ['replacement', ...(issue?.path ?? []).map(String)].join('.'),
    );
  }
  const original = target.event.data as Readonly<Record<string, unknown>>;
  const replacement = parsed.data as Readonly<Record<string, unknown>>;
  for (const rule of rules.kept ?? []) {
    const changed = rule.fields.find(
      (path) => valueAt(original, path) !== valueAt(replacement, path),
    );
    if (changed !== undefined) {
      const [top = changed] = changed.split('.');
      throw new DomainError(rule.code, rule.message(top), 'precondition', `replacement.${top}`);
    }
  }
  rules.checkAmendment?.(type, replacement);
  return [
    {
      type: 'EventAmended',
      data: rules.storesParsedReplacement ? { ...command.data, replacement } : command.data,
    },
  ];
}
