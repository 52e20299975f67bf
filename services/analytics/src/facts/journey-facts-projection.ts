import type { RecordedEvent } from '@waypoint/eventstore';
import type { Projection, SqlClient } from '@waypoint/projections';
import { coarseData } from './domain/coarse-data.js';
import { foldJourney } from './domain/fold-journey.js';
import {
  JOURNEY_SOURCES,
  type AgeBand,
  type CoarseEvent,
  type JourneyFacts,
  type JourneySource,
  type PersonCodes,
} from './domain/journey-facts.js';

const PERSON = 'person';

function sourceOf(stream: string): JourneySource | undefined {
  return JOURNEY_SOURCES.find((source) => stream.startsWith(`${source}-`));
}

/** An event as stored: a type alias, so that it is a driver row. */
type EventRow = {
  readonly journey_id: string;
  readonly position: string;
  readonly event_id: string;
  readonly source: JourneySource;
  readonly type: string;
  readonly occurred_at: string;
  readonly data: Record<string, unknown>;
};

function personCodes(data: Readonly<Record<string, unknown>>): PersonCodes {
  const citizenship = data.citizenship;
  return {
    gender: typeof data.gender === 'string' ? data.gender : 'NonSpecifiedUnknown',
    ageBand: (typeof data.ageBand === 'string' ? data.ageBand : 'unknown') as AgeBand,
    child: data.child === 'yes' || data.child === 'no' ? data.child : 'unknown',
    citizenship: Array.isArray(citizenship)
      ? citizenship.filter((code): code is string => typeof code === 'string')
      : [],
  };
}

/**
 * The per-journey facts read model. Each batch is written set-based: the batch's coarse events in
 * one statement, the registry codes in another; then every journey the batch touched is folded
 * again from its stored events (so a correction anywhere in its history counts) and its row
 * replaced, in one statement. Encrypted values are dropped before anything is stored.
 */
export const journeyFactsProjection: Projection = {
  name: 'analytics_journey_facts',
  // 2: each review carries the situation it found; the rows are rebuilt beside the ones serving.
  version: 2,
  filter: { categories: [...JOURNEY_SOURCES, PERSON] },

  async setup(tx, schema) {
    await tx.query(`CREATE TABLE ${schema}.events (
      event_id text PRIMARY KEY,
      journey_id text NOT NULL,
      position text COLLATE "C" NOT NULL,
      source text NOT NULL,
      type text NOT NULL,
      occurred_at text NOT NULL,
      data jsonb NOT NULL)`);
    await tx.query(`CREATE INDEX events_by_journey ON ${schema}.events (journey_id, position)`);
    await tx.query(
      `CREATE TABLE ${schema}.persons (person_id text PRIMARY KEY, codes jsonb NOT NULL)`,
    );
    // Every write of a row takes a new revision, so that readers can fetch only what changed.
    await tx.query(`CREATE SEQUENCE ${schema}.facts_revision`);
    await tx.query(`CREATE TABLE ${schema}.facts (
      journey_id text PRIMARY KEY,
      person_id text,
      consent_reporting boolean NOT NULL,
      revision bigint NOT NULL DEFAULT nextval('${schema}.facts_revision'),
      facts jsonb NOT NULL)`);
    await tx.query(`CREATE INDEX facts_by_revision ON ${schema}.facts (revision)`);
    await tx.query(`CREATE INDEX facts_by_person ON ${schema}.facts (person_id)`);
  },

  async apply(tx, events, schema) {
    const rows: EventRow[] = [];
    // One row per person, the latest registration winning: a statement cannot update a row twice.
    const persons = new Map<string, { person_id: string; codes: PersonCodes }>();
    for (const event of events) {
      if (event.type === 'PersonRegistered' && event.stream.startsWith(`${PERSON}-`)) {
        const personId = event.stream.slice(PERSON.length + 1);
        persons.set(personId, { person_id: personId, codes: personCodes(event.data) });
        continue;
      }
      const row = eventRow(event);
      if (row) rows.push(row);
    }
    if (rows.length > 0) {
      await tx.query(
        `INSERT INTO ${schema}.events (event_id, journey_id, position, source, type, occurred_at, data)
         SELECT event_id, journey_id, position, source, type, occurred_at, data
         FROM jsonb_to_recordset($1::jsonb) AS r(event_id text, journey_id text, position text,
           source text, type text, occurred_at text, data jsonb)
         ON CONFLICT (event_id) DO NOTHING`,
        [JSON.stringify(rows)],
      );
    }
    if (persons.size > 0) {
      await tx.query(
        `INSERT INTO ${schema}.persons (person_id, codes)
         SELECT person_id, codes FROM jsonb_to_recordset($1::jsonb) AS r(person_id text, codes jsonb)
         ON CONFLICT (person_id) DO UPDATE SET codes = excluded.codes`,
        [JSON.stringify([...persons.values()])],
      );
    }
    const touched = new Set(rows.map((row) => row.journey_id));
    if (persons.size > 0) {
      const { rows: ofPersons } = await tx.query<{ journey_id: string }>(
        `SELECT journey_id FROM ${schema}.facts WHERE person_id = ANY($1::text[])`,
        [[...persons.keys()]],
      );
      for (const { journey_id } of ofPersons) touched.add(journey_id);
    }
    if (touched.size > 0) await refold(tx, schema, [...touched]);
  },
};

function eventRow(event: RecordedEvent): EventRow | undefined {
  const source = sourceOf(event.stream);
  if (!source) return undefined;
  return {
    journey_id: event.stream.slice(source.length + 1),
    position: event.position,
    event_id: event.id,
    source,
    type: event.type,
    occurred_at: event.metadata.occurredAt,
    data: coarseData(event.data) as Record<string, unknown>,
  };
}

async function refold(tx: SqlClient, schema: string, journeyIds: readonly string[]): Promise<void> {
  const { rows } = await tx.query<EventRow>(
    `SELECT journey_id, event_id, source, type, occurred_at, data FROM ${schema}.events
     WHERE journey_id = ANY($1::text[]) ORDER BY journey_id, position`,
    [journeyIds],
  );
  const byJourney = new Map<string, CoarseEvent[]>();
  for (const row of rows) {
    const list = byJourney.get(row.journey_id) ?? [];
    list.push({
      eventId: row.event_id,
      source: row.source,
      type: row.type,
      occurredAt: row.occurred_at,
      data: row.data,
    });
    byJourney.set(row.journey_id, list);
  }
  const personOf = (list: readonly CoarseEvent[]): string | undefined => {
    const opened = list.find((event) => event.type === 'JourneyOpened');
    const personId = opened?.data.personId;
    return typeof personId === 'string' ? personId : undefined;
  };
  const personIds = [...byJourney.values()]
    .map(personOf)
    .filter((id): id is string => id !== undefined);
  const { rows: personRows } = await tx.query<{ person_id: string; codes: PersonCodes }>(
    `SELECT person_id, codes FROM ${schema}.persons WHERE person_id = ANY($1::text[])`,
    [personIds],
  );
  const codes = new Map(personRows.map((row) => [row.person_id, row.codes]));
  const facts: JourneyFacts[] = [...byJourney].map(([journeyId, list]) => {
    const personId = personOf(list);
    return foldJourney(journeyId, list, personId === undefined ? undefined : codes.get(personId));
  });
  await tx.query(
    `INSERT INTO ${schema}.facts (journey_id, person_id, consent_reporting, facts)
     SELECT f->>'journeyId', f->>'personId', (f->>'consentAnonymousReporting')::boolean, f
     FROM jsonb_array_elements($1::jsonb) AS f
     ON CONFLICT (journey_id) DO UPDATE
       SET person_id = excluded.person_id, consent_reporting = excluded.consent_reporting,
           facts = excluded.facts, revision = nextval('${schema}.facts_revision')`,
    [JSON.stringify(facts)],
  );
}

/** Where the service reads the facts rows from. */
export interface FactsSource {
  /** Every journey's facts; with `consentedOnly`, only those with a consent to anonymous reporting. */
  load(options: { readonly consentedOnly: boolean }): Promise<JourneyFacts[]>;
}

interface Cached {
  readonly schema: string;
  /** The highest revision merged so far. */
  revision: number;
  readonly rows: Map<string, { readonly revision: number; readonly facts: JourneyFacts }>;
}

/**
 * The facts rows of the projection's active generation, kept in memory and refreshed by revision:
 * each load fetches only the rows written since the last one (usually none), so a query over
 * 10,000 journeys does not parse 10,000 rows every time. A rebuild (a new schema) starts afresh.
 * Revisions grow in commit order because one runner applies a projection's batches one at a time.
 */
export function sqlFactsSource(db: SqlClient, schemaOf: () => Promise<string>): FactsSource {
  let cache: Cached | undefined;
  return {
    async load({ consentedOnly }) {
      const schema = await schemaOf();
      if (cache?.schema !== schema) cache = { schema, revision: 0, rows: new Map() };
      const current = cache;
      // One JSON text for all changed rows: a single parse is much faster than one per row.
      const { rows } = await db.query<{ changed: string | null }>(
        `SELECT json_agg(json_build_object('r', revision, 'f', facts))::text AS changed
         FROM ${schema}.facts WHERE revision > $1`,
        [current.revision],
      );
      const changed = JSON.parse(rows[0]?.changed ?? '[]') as { r: number; f: JourneyFacts }[];
      for (const { r, f } of changed) {
        // Two loads can overlap: an older answer never replaces a newer row.
        const held = current.rows.get(f.journeyId);
        if (!held || held.revision < r) current.rows.set(f.journeyId, { revision: r, facts: f });
        if (r > current.revision) current.revision = r;
      }
      const all = [...current.rows.values()].map((row) => row.facts);
      return consentedOnly ? all.filter((row) => row.consentAnonymousReporting) : all;
    },
  };
}

/** Facts held in memory (tests, the benchmark's in-memory baseline). */
export function memoryFactsSource(facts: readonly JourneyFacts[]): FactsSource {
  return {
    load: ({ consentedOnly }) =>
      Promise.resolve(facts.filter((row) => !consentedOnly || row.consentAnonymousReporting)),
  };
}
