import type { RecordedEvent } from '@waypoint/eventstore';
import type { Projection, SqlClient } from '@waypoint/projections';
import { dueItems, type DuePolicy } from './summary/domain/due.js';
import { foldsIncrementally, summarise } from './summary/domain/summarise.js';
import {
  emptySummary,
  evolveSummary,
  withRegistryChild,
  type JourneySummary,
} from './summary/domain/summary.js';
import { JOURNEY_SERVICES, type TimelineEntry } from './summary/domain/timeline-entry.js';
import {
  entryFromRow,
  TIMELINE_COLUMNS,
  toTimelineEntry,
  type TimelineRow,
} from './timeline/entries.js';

export const JOURNEY_PROJECTION = 'journey';

/**
 * The journey read model: every event of every journey's service streams (the timeline, data
 * still sealed), and one summary per journey (phase, open risks, what is due) with the columns
 * search filters on. One projection, so that a summary can always be recomputed from the timeline
 * rows written in the same transaction.
 */
export function journeyProjection(policy: DuePolicy): Projection {
  return {
    name: JOURNEY_PROJECTION,
    // 2: the person registry's child status joins the summaries.
    version: 2,
    filter: { categories: [...JOURNEY_SERVICES, PERSON_CATEGORY] },
    async setup(tx: SqlClient, schema: string) {
      await tx.query(`CREATE TABLE ${schema}.timeline (
        event_id uuid PRIMARY KEY,
        journey_id uuid NOT NULL,
        stream text NOT NULL,
        service text NOT NULL,
        revision bigint NOT NULL,
        type text NOT NULL,
        schema_version integer NOT NULL,
        data jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        actor_user text NOT NULL,
        actor_role text NOT NULL,
        actor_org text NOT NULL,
        legal_basis text,
        position text NOT NULL)`);
      await tx.query(
        `CREATE INDEX timeline_by_occurrence ON ${schema}.timeline (journey_id, occurred_at, event_id)`,
      );
      await tx.query(
        `CREATE INDEX timeline_by_recording ON ${schema}.timeline (journey_id, recorded_at)`,
      );
      await tx.query(`CREATE TABLE ${schema}.summaries (
        journey_id uuid PRIMARY KEY,
        summary jsonb NOT NULL,
        organisations text[] NOT NULL,
        phase text NOT NULL,
        jurisdiction text,
        next_due_on date,
        opened_at timestamptz,
        last_occurred_at timestamptz)`);
      await tx.query(
        `CREATE INDEX summaries_by_organisation ON ${schema}.summaries USING gin (organisations)`,
      );
      await tx.query(
        `CREATE INDEX summaries_by_due ON ${schema}.summaries (next_due_on, journey_id)`,
      );
      await tx.query(`CREATE INDEX summaries_by_phase ON ${schema}.summaries (phase, journey_id)`);
      await tx.query(
        `CREATE INDEX summaries_by_person ON ${schema}.summaries ((summary->>'personId'))`,
      );
      // Persons the registry recorded as children: coarse, no personal data.
      await tx.query(`CREATE TABLE ${schema}.registry_children (person_id uuid PRIMARY KEY)`);
    },
    async apply(tx: SqlClient, events: readonly RecordedEvent[], schema: string) {
      const children = registeredChildren(events);
      if (children.length > 0) await recordChildren(tx, schema, children, policy);
      const entries = events
        .map(toTimelineEntry)
        .filter((entry): entry is TimelineEntry => entry !== undefined);
      if (entries.length === 0) return;
      // Only events new to the timeline fold into summaries: applying a batch again changes nothing.
      const inserted = await insertTimeline(tx, schema, entries);
      const fresh = entries.filter((entry) => inserted.has(entry.eventId));
      if (fresh.length > 0) await updateSummaries(tx, schema, fresh, policy);
    },
  };
}

async function insertTimeline(
  tx: SqlClient,
  schema: string,
  entries: readonly TimelineEntry[],
): Promise<Set<string>> {
  const rows = entries.map((entry) => ({
    event_id: entry.eventId,
    journey_id: entry.journeyId,
    stream: entry.stream,
    service: entry.service,
    revision: entry.revision,
    type: entry.type,
    schema_version: entry.schemaVersion,
    data: entry.data,
    occurred_at: entry.occurredAt,
    recorded_at: entry.recordedAt,
    actor_user: entry.actor.userId,
    actor_role: entry.actor.role,
    actor_org: entry.actor.orgId,
    legal_basis: entry.legalBasis,
    position: entry.position,
  }));
  const { rows: inserted } = await tx.query<{ event_id: string }>(
    `INSERT INTO ${schema}.timeline (${TIMELINE_COLUMNS})
     SELECT ${TIMELINE_COLUMNS} FROM jsonb_to_recordset($1::jsonb) AS t(
       event_id uuid, journey_id uuid, stream text, service text, revision bigint, type text,
       schema_version integer, data jsonb, occurred_at timestamptz, recorded_at timestamptz,
       actor_user text, actor_role text, actor_org text, legal_basis text, position text)
     ON CONFLICT (event_id) DO NOTHING
     RETURNING event_id`,
    [JSON.stringify(rows)],
  );
  return new Set(inserted.map((row) => row.event_id));
}

async function updateSummaries(
  tx: SqlClient,
  schema: string,
  entries: readonly TimelineEntry[],
  policy: DuePolicy,
): Promise<void> {
  const byJourney = new Map<string, TimelineEntry[]>();
  for (const entry of entries) {
    const list = byJourney.get(entry.journeyId);
    if (list) list.push(entry);
    else byJourney.set(entry.journeyId, [entry]);
  }
  const ids = [...byJourney.keys()];
  const { rows } = await tx.query<{ journey_id: string; summary: JourneySummary }>(
    `SELECT journey_id, summary FROM ${schema}.summaries WHERE journey_id = ANY($1::uuid[])`,
    [ids],
  );
  const known = new Map(rows.map((row) => [row.journey_id, row.summary]));
  const updated: JourneySummary[] = [];
  for (const [journeyId, list] of byJourney) {
    let summary: JourneySummary | undefined = known.get(journeyId) ?? emptySummary(journeyId);
    for (const entry of list) {
      if (!foldsIncrementally(summary, entry)) {
        summary = undefined;
        break;
      }
      summary = evolveSummary(summary, entry);
    }
    updated.push(summary ?? (await recompute(tx, schema, journeyId)));
  }
  await writeSummaries(tx, schema, await withRegistry(tx, schema, updated), policy);
}

const PERSON_CATEGORY = 'person';

/** The persons a batch registers as children (`PersonRegistered.child` 'yes'). */
function registeredChildren(events: readonly RecordedEvent[]): string[] {
  return events.flatMap((event) => {
    if (!event.stream.startsWith(`${PERSON_CATEGORY}-`) || event.type !== 'PersonRegistered')
      return [];
    const { personId, child } = event.data;
    return typeof personId === 'string' && child === 'yes' ? [personId] : [];
  });
}

/** Records registered children, and joins them into the summaries of their journeys so far. */
async function recordChildren(
  tx: SqlClient,
  schema: string,
  personIds: readonly string[],
  policy: DuePolicy,
): Promise<void> {
  await tx.query(
    `INSERT INTO ${schema}.registry_children (person_id)
     SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING`,
    [personIds],
  );
  const { rows } = await tx.query<{ summary: JourneySummary }>(
    `SELECT summary FROM ${schema}.summaries WHERE summary->>'personId' = ANY($1::text[])`,
    [personIds],
  );
  if (rows.length > 0)
    await writeSummaries(
      tx,
      schema,
      rows.map((row) => withRegistryChild(row.summary, true)),
      policy,
    );
}

/** The summaries with the registry's child status of their persons joined in. */
async function withRegistry(
  tx: SqlClient,
  schema: string,
  summaries: readonly JourneySummary[],
): Promise<JourneySummary[]> {
  const personIds = summaries.flatMap((summary) => (summary.personId ? [summary.personId] : []));
  const { rows } = await tx.query<{ person_id: string }>(
    `SELECT person_id FROM ${schema}.registry_children WHERE person_id = ANY($1::uuid[])`,
    [personIds],
  );
  const children = new Set(rows.map((row) => row.person_id));
  return summaries.map((summary) =>
    withRegistryChild(summary, summary.personId ? children.has(summary.personId) : false),
  );
}

async function writeSummaries(
  tx: SqlClient,
  schema: string,
  summaries: readonly JourneySummary[],
  policy: DuePolicy,
): Promise<void> {
  const records = summaries.map((summary) => ({
    journey_id: summary.journeyId,
    summary,
    organisations: summary.organisations,
    phase: summary.phase,
    jurisdiction: summary.jurisdiction,
    next_due_on: dueItems(summary, policy)[0]?.dueOn ?? null,
    opened_at: summary.openedAt,
    last_occurred_at: summary.lastOccurredAt,
  }));
  await tx.query(
    `INSERT INTO ${schema}.summaries AS s
       (journey_id, summary, organisations, phase, jurisdiction, next_due_on, opened_at, last_occurred_at)
     SELECT journey_id, summary, ARRAY(SELECT jsonb_array_elements_text(organisations)), phase,
            jurisdiction, next_due_on, opened_at, last_occurred_at
       FROM jsonb_to_recordset($1::jsonb) AS t(journey_id uuid, summary jsonb, organisations jsonb,
            phase text, jurisdiction text, next_due_on date, opened_at timestamptz, last_occurred_at timestamptz)
     ON CONFLICT (journey_id) DO UPDATE SET summary = EXCLUDED.summary,
       organisations = EXCLUDED.organisations, phase = EXCLUDED.phase,
       jurisdiction = EXCLUDED.jurisdiction, next_due_on = EXCLUDED.next_due_on,
       opened_at = EXCLUDED.opened_at, last_occurred_at = EXCLUDED.last_occurred_at`,
    [JSON.stringify(records)],
  );
}

async function recompute(
  tx: SqlClient,
  schema: string,
  journeyId: string,
): Promise<JourneySummary> {
  const { rows } = await tx.query<TimelineRow>(
    `SELECT ${TIMELINE_COLUMNS} FROM ${schema}.timeline WHERE journey_id = $1`,
    [journeyId],
  );
  return summarise(journeyId, rows.map(entryFromRow));
}
