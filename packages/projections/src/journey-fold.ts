import { effectiveEntries } from '@waypoint/contracts';
import type { RecordedEvent } from '@waypoint/eventstore';
import type { SqlClient } from './types.js';

/*
 * Keeps one state per journey, folded from the codes of the journey's events in one stream
 * category. The codes of every event that matters are kept too (`facts`), so that a correction
 * (EventRetracted, EventAmended) recomputes its journey from them; every other event folds onto
 * the state kept. The same events give the same states whatever the batches.
 *
 * The write services' read models (shelter occupancy, care progress, legal status,
 * reintegration reviews) are built on it.
 */

/** One event of a journey as a read model keeps it: its codes only, never a personal value. */
export interface Fact {
  readonly eventId: string;
  readonly revision: number;
  readonly type: string;
  readonly occurredAt: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface JourneyFold<State> {
  /** The category of the streams, named `<category>-<journeyId>`. */
  readonly category: string;
  /** The event in the current shape of its family (upcast when stored at an older version). */
  decode(event: RecordedEvent): { type: string; data: unknown };
  /** The codes the read model needs from an event of this type; undefined when it needs none. */
  codes(type: string, data: unknown): Record<string, unknown> | undefined;
  initial(journeyId: string): State;
  evolve(state: State, fact: Fact): State;
}

/** What a read model keeps of an event: its type and the codes it needs, never a personal value. */
export interface Kept {
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** A fact as a typed fold reads it: the fact's envelope with the codes kept for its type. */
export type KeptFact<K extends Kept> = Omit<Fact, 'type' | 'data'> & K;

/**
 * A journey fold written against one family's events: `codes` takes the decoded event (a union
 * by type, so a `switch (event.type)` narrows its data) and says what it keeps, as `{ type, data }`;
 * `evolve` takes the facts kept, narrowed the same way.
 */
export interface TypedJourneyFold<
  State,
  Event extends { readonly type: string; readonly data: unknown },
  K extends Kept,
> {
  readonly category: string;
  decode(event: RecordedEvent): Event;
  codes(event: Event): K | undefined;
  initial(journeyId: string): State;
  evolve(state: State, fact: KeptFact<K>): State;
}

/**
 * The fold `applyJourneyFold` runs, from a typed one: the only two casts of the read models'
 * folds, in one place.
 */
export function journeyFoldOf<
  State,
  Event extends { readonly type: string; readonly data: unknown },
  K extends Kept,
>(fold: TypedJourneyFold<State, Event, K>): JourneyFold<State> {
  return {
    category: fold.category,
    decode: (event) => fold.decode(event),
    // `applyJourneyFold` passes what `decode` gave, or an amendment's replacement data, which the
    // write side validated against the amended type's schema before storing it.
    codes: (type, data) => fold.codes({ type, data } as Event)?.data,
    initial: (journeyId) => fold.initial(journeyId),
    // Every fact folded was kept by `codes` for its type (corrections are applied before folding).
    evolve: (state, fact) => fold.evolve(state, fact as KeptFact<K>),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The journey of a stream of the category, or undefined for any other stream. */
export function journeyOf(stream: string, category: string): string | undefined {
  if (!stream.startsWith(`${category}-`)) return undefined;
  const id = stream.slice(category.length + 1);
  return UUID.test(id) ? id.toLowerCase() : undefined;
}

const isCorrection = (type: string): boolean =>
  type === 'EventRetracted' || type === 'EventAmended';

/** An instant as ISO 8601, whether the driver gave a Date or a string. */
export const iso = (value: Date | string): string =>
  value instanceof Date ? value.toISOString() : new Date(value).toISOString();

/** A day as YYYY-MM-DD, whether the driver gave a Date or a string. */
export const dayOf = (value: Date | string): string =>
  value instanceof Date ? value.toISOString().slice(0, 10) : value.slice(0, 10);

/** The journey's state from all of its facts: corrections applied, then folded in stream order. */
export function recompute<State>(
  fold: JourneyFold<State>,
  journeyId: string,
  facts: readonly Fact[],
): State {
  const effective = effectiveEntries(facts.map((fact) => ({ eventId: fact.eventId, event: fact })));
  return effective.reduce((state, { event }) => fold.evolve(state, event), fold.initial(journeyId));
}

export async function setupJourneyFold(tx: SqlClient, schema: string): Promise<void> {
  await tx.query(`CREATE TABLE ${schema}.facts (
    event_id uuid PRIMARY KEY,
    journey_id uuid NOT NULL,
    revision bigint NOT NULL,
    type text NOT NULL,
    occurred_at timestamptz NOT NULL,
    data jsonb NOT NULL)`);
  await tx.query(`CREATE INDEX facts_by_journey ON ${schema}.facts (journey_id, revision)`);
  await tx.query(`CREATE TABLE ${schema}.states (
    journey_id uuid PRIMARY KEY,
    state jsonb NOT NULL)`);
}

interface Pending {
  readonly journeyId: string;
  readonly fact: Fact;
  /** For a correction: the event it names. */
  readonly target?: string;
  /** For an amendment: the replacement data, reduced once the target's type is known. */
  readonly replacement?: unknown;
}

interface FactRow {
  event_id: string;
  journey_id: string;
  revision: string | number;
  type: string;
  occurred_at: Date | string;
  data: Record<string, unknown>;
  [column: string]: unknown;
}

const factOf = (row: FactRow): Fact => ({
  eventId: row.event_id,
  revision: Number(row.revision),
  type: row.type,
  occurredAt: iso(row.occurred_at),
  data: row.data,
});

/**
 * Applies a batch: keeps the facts, folds them into their journeys' states (recomputing a journey
 * when one of its facts is a correction) and returns the states that changed, by journey. A fact
 * already kept (an event applied twice) changes nothing.
 */
export async function applyJourneyFold<State>(
  tx: SqlClient,
  schema: string,
  fold: JourneyFold<State>,
  events: readonly RecordedEvent[],
): Promise<Map<string, State>> {
  const pending: Pending[] = [];
  /** The type of every event of the batch, kept or not: a correction may name one. */
  const batchTypes = new Map<string, string>();
  for (const event of events) {
    const journeyId = journeyOf(event.stream, fold.category);
    if (journeyId === undefined || batchTypes.has(event.id)) continue;
    const { type, data } = fold.decode(event);
    batchTypes.set(event.id, type);
    const base = {
      eventId: event.id,
      revision: event.revision,
      type,
      occurredAt: event.metadata.occurredAt,
    };
    if (type === 'EventRetracted') {
      const target = (data as { retractedEventId: string }).retractedEventId;
      pending.push({ journeyId, fact: { ...base, data: { retractedEventId: target } }, target });
    } else if (type === 'EventAmended') {
      const { amendedEventId, replacement } = data as {
        amendedEventId: string;
        replacement: unknown;
      };
      pending.push({
        journeyId,
        fact: { ...base, data: { amendedEventId } },
        target: amendedEventId,
        replacement,
      });
    } else {
      const codes = fold.codes(type, data);
      if (codes !== undefined) pending.push({ journeyId, fact: { ...base, data: codes } });
    }
  }
  const kept = await keptTypes(tx, schema, pending, batchTypes);
  const rows = pending.flatMap((item): { journeyId: string; fact: Fact }[] => {
    if (item.target === undefined) return [item];
    // A correction of an event this read model never kept changes nothing here.
    const targetType = kept.get(item.target);
    if (targetType === undefined) return [];
    if (item.fact.type === 'EventRetracted') return [item];
    const replacement = fold.codes(targetType, item.replacement);
    return [
      {
        journeyId: item.journeyId,
        fact: { ...item.fact, data: { ...item.fact.data, replacement } },
      },
    ];
  });
  if (rows.length === 0) return new Map();
  const { rows: inserted } = await tx.query<{ event_id: string }>(
    `INSERT INTO ${schema}.facts (event_id, journey_id, revision, type, occurred_at, data)
     SELECT event_id, journey_id, revision, type, occurred_at, data
       FROM jsonb_to_recordset($1::jsonb) AS t(event_id uuid, journey_id uuid, revision bigint,
            type text, occurred_at timestamptz, data jsonb)
     ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
    [
      JSON.stringify(
        rows.map(({ journeyId, fact }) => ({
          event_id: fact.eventId,
          journey_id: journeyId,
          revision: fact.revision,
          type: fact.type,
          occurred_at: fact.occurredAt,
          data: fact.data,
        })),
      ),
    ],
  );
  const fresh = new Set(inserted.map((row) => row.event_id));
  const byJourney = new Map<string, Fact[]>();
  for (const { journeyId, fact } of rows) {
    if (!fresh.has(fact.eventId)) continue;
    const list = byJourney.get(journeyId);
    if (list) list.push(fact);
    else byJourney.set(journeyId, [fact]);
  }
  const recomputed = [...byJourney]
    .filter(([, facts]) => facts.some((fact) => isCorrection(fact.type)))
    .map(([journeyId]) => journeyId);
  const folded = [...byJourney.keys()].filter((journeyId) => !recomputed.includes(journeyId));
  const states = new Map<string, State>();
  if (folded.length > 0) {
    const { rows: known } = await tx.query<{ journey_id: string; state: State }>(
      `SELECT journey_id, state FROM ${schema}.states WHERE journey_id = ANY($1::uuid[])`,
      [folded],
    );
    const before = new Map(known.map((row) => [row.journey_id, row.state]));
    for (const journeyId of folded) {
      const facts = byJourney.get(journeyId) ?? [];
      states.set(
        journeyId,
        facts.reduce(
          (state, fact) => fold.evolve(state, fact),
          before.get(journeyId) ?? fold.initial(journeyId),
        ),
      );
    }
  }
  if (recomputed.length > 0) {
    const { rows: all } = await tx.query<FactRow>(
      `SELECT event_id, journey_id, revision, type, occurred_at, data FROM ${schema}.facts
        WHERE journey_id = ANY($1::uuid[]) ORDER BY journey_id, revision`,
      [recomputed],
    );
    for (const journeyId of recomputed)
      states.set(
        journeyId,
        recompute(fold, journeyId, all.filter((row) => row.journey_id === journeyId).map(factOf)),
      );
  }
  await tx.query(
    `INSERT INTO ${schema}.states (journey_id, state)
     SELECT journey_id, state FROM jsonb_to_recordset($1::jsonb) AS t(journey_id uuid, state jsonb)
     ON CONFLICT (journey_id) DO UPDATE SET state = EXCLUDED.state`,
    [JSON.stringify([...states].map(([journeyId, state]) => ({ journey_id: journeyId, state })))],
  );
  return states;
}

/**
 * The types of the events the corrections of the batch name, among the events this read model
 * keeps (a correction of a correction changes nothing: `effectiveEntries` ignores it).
 */
async function keptTypes(
  tx: SqlClient,
  schema: string,
  pending: readonly Pending[],
  batchTypes: ReadonlyMap<string, string>,
): Promise<Map<string, string>> {
  const kept = new Map<string, string>();
  const keptInBatch = new Set(
    pending.filter((item) => item.target === undefined).map((item) => item.fact.eventId),
  );
  const earlier: string[] = [];
  for (const item of pending) {
    if (item.target === undefined) continue;
    const type = batchTypes.get(item.target);
    if (type === undefined) earlier.push(item.target);
    else if (keptInBatch.has(item.target)) kept.set(item.target, type);
  }
  if (earlier.length > 0) {
    const { rows } = await tx.query<{ event_id: string; type: string }>(
      `SELECT event_id, type FROM ${schema}.facts
        WHERE event_id = ANY($1::uuid[]) AND type NOT IN ('EventRetracted', 'EventAmended')`,
      [earlier],
    );
    for (const row of rows) kept.set(row.event_id, row.type);
  }
  return kept;
}
