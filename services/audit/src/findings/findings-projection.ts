import type { RecordedEvent } from '@waypoint/eventstore';
import type { Projection, SqlClient, SqlDatabase } from '@waypoint/projections';
import { auditJourney, findingKey } from '../rules/evaluate.js';
import { familyOfStream } from '../rules/journey-events.js';
import {
  UnknownJurisdictionError,
  type JurisdictionProfile,
} from '../rules/jurisdiction-profile.js';
import type { Finding } from '../rules/rule.js';

export const FINDINGS_PROJECTION = 'audit_findings';

/**
 * The findings read model. It keeps the events the rules read (personal data still ciphertext, as
 * stored), re-evaluates every journey a batch touches, and records findings as they appear and
 * resolve (a retraction can resolve one); a new breach raises an alert. Absence rules ("no guardian
 * within N hours") depend on the time: `apply` evaluates at the batch's latest record time, so a
 * rebuild gives the same result, and `sweepFindings` re-evaluates every journey at a clock time.
 * Reviews (the audit stream) are kept beside the findings they are about.
 */
export function findingsProjection(options: {
  readonly profiles: readonly JurisdictionProfile[];
}): Projection {
  return {
    name: FINDINGS_PROJECTION,
    version: 1,
    filter: {
      categories: [
        'identification',
        'person',
        'shelter',
        'care',
        'legal',
        'reintegration',
        'audit',
      ],
    },
    async setup(tx, schema) {
      await tx.query(`CREATE TABLE ${schema}.events (
        id text PRIMARY KEY, stream text NOT NULL, journey_id text, person_id text,
        revision integer NOT NULL, type text NOT NULL, schema_version integer NOT NULL,
        data jsonb NOT NULL, metadata jsonb NOT NULL)`);
      await tx.query(`CREATE INDEX ON ${schema}.events (journey_id)`);
      await tx.query(`CREATE INDEX ON ${schema}.events (person_id)`);
      await tx.query(`CREATE TABLE ${schema}.journeys (
        journey_id text PRIMARY KEY, person_id text NOT NULL, jurisdiction text NOT NULL, org_id text NOT NULL)`);
      await tx.query(`CREATE INDEX ON ${schema}.journeys (person_id)`);
      await tx.query(`CREATE TABLE ${schema}.findings (
        finding_key text PRIMARY KEY, journey_id text NOT NULL, org_id text NOT NULL,
        rule_id text NOT NULL, rule_version integer NOT NULL, severity text NOT NULL,
        occurred_at timestamptz NOT NULL, evidence text[] NOT NULL, reason text NOT NULL,
        detected_at timestamptz NOT NULL, resolved_at timestamptz)`);
      await tx.query(`CREATE INDEX ON ${schema}.findings (journey_id)`);
      await tx.query(`CREATE INDEX ON ${schema}.findings (org_id, occurred_at)`);
      await tx.query(`CREATE TABLE ${schema}.alerts (
        seq bigserial PRIMARY KEY, finding_key text NOT NULL, journey_id text NOT NULL,
        org_id text NOT NULL, rule_id text NOT NULL, severity text NOT NULL, reason text NOT NULL,
        occurred_at timestamptz NOT NULL, raised_at timestamptz NOT NULL)`);
      await tx.query(`CREATE TABLE ${schema}.reviews (
        event_id text PRIMARY KEY, finding_key text NOT NULL, journey_id text NOT NULL,
        type text NOT NULL, reason_code text NOT NULL, actor jsonb NOT NULL, at timestamptz NOT NULL,
        note jsonb)`);
      await tx.query(`CREATE INDEX ON ${schema}.reviews (finding_key)`);
    },
    async apply(tx, events, schema) {
      const journeyRows = events.filter((event) => familyOfStream(event.stream) !== undefined);
      const reviewRows = events.filter((event) => event.stream.startsWith('audit-'));
      if (journeyRows.length > 0) await storeEvents(tx, schema, journeyRows);
      if (reviewRows.length > 0) await storeReviews(tx, schema, reviewRows);
      if (journeyRows.length === 0) return;
      const journeyIds = new Set<string>();
      const personIds = new Set<string>();
      for (const event of journeyRows) {
        const id = event.stream.slice(event.stream.indexOf('-') + 1);
        if (event.stream.startsWith('person-')) personIds.add(id);
        else journeyIds.add(id);
      }
      if (personIds.size > 0) {
        const { rows } = await tx.query<{ journey_id: string }>(
          `SELECT journey_id FROM ${schema}.journeys WHERE person_id = ANY($1::text[])`,
          [[...personIds]],
        );
        for (const row of rows) journeyIds.add(row.journey_id);
      }
      const now = events.reduce(
        (latest, event) =>
          event.metadata.recordedAt > latest ? event.metadata.recordedAt : latest,
        '',
      );
      await reevaluate(tx, schema, [...journeyIds], now, options.profiles);
    },
  };
}

async function storeEvents(
  tx: SqlClient,
  schema: string,
  events: readonly RecordedEvent[],
): Promise<void> {
  const rows = events.map((event) => {
    const id = event.stream.slice(event.stream.indexOf('-') + 1);
    const person = event.stream.startsWith('person-');
    return {
      id: event.id,
      stream: event.stream,
      journey_id: person ? null : id,
      person_id: person ? id : null,
      revision: event.revision,
      type: event.type,
      schema_version: event.schemaVersion,
      data: event.data,
      metadata: event.metadata,
    };
  });
  await tx.query(
    `INSERT INTO ${schema}.events (id, stream, journey_id, person_id, revision, type, schema_version, data, metadata)
     SELECT id, stream, journey_id, person_id, revision, type, schema_version, data, metadata
       FROM jsonb_to_recordset($1::jsonb) AS t(id text, stream text, journey_id text, person_id text,
            revision integer, type text, schema_version integer, data jsonb, metadata jsonb)
     ON CONFLICT (id) DO NOTHING`,
    [JSON.stringify(rows)],
  );
  const openings = events
    .filter((event) => event.type === 'JourneyOpened' && event.stream.startsWith('identification-'))
    .map((event) => ({
      journey_id: event.data.journeyId,
      person_id: event.data.personId,
      jurisdiction: event.data.jurisdiction,
      org_id: event.data.openedByOrgId,
    }));
  if (openings.length > 0)
    await tx.query(
      `INSERT INTO ${schema}.journeys (journey_id, person_id, jurisdiction, org_id)
       SELECT journey_id, person_id, jurisdiction, org_id
         FROM jsonb_to_recordset($1::jsonb) AS t(journey_id text, person_id text, jurisdiction text, org_id text)
       ON CONFLICT (journey_id) DO NOTHING`,
      [JSON.stringify(openings)],
    );
}

async function storeReviews(
  tx: SqlClient,
  schema: string,
  events: readonly RecordedEvent[],
): Promise<void> {
  const rows = events.map((event) => ({
    event_id: event.id,
    finding_key: event.data.findingKey,
    journey_id: event.data.journeyId,
    type: event.type,
    reason_code: event.data.reasonCode,
    actor: event.metadata.actor,
    at: event.metadata.recordedAt,
    note: event.data.note ?? null,
  }));
  await tx.query(
    `INSERT INTO ${schema}.reviews (event_id, finding_key, journey_id, type, reason_code, actor, at, note)
     SELECT event_id, finding_key, journey_id, type, reason_code, actor, at, note
       FROM jsonb_to_recordset($1::jsonb) AS t(event_id text, finding_key text, journey_id text, type text,
            reason_code text, actor jsonb, at timestamptz, note jsonb)
     ON CONFLICT (event_id) DO NOTHING`,
    [JSON.stringify(rows)],
  );
}

type EventRow = {
  journey_id: string;
  org_id: string;
  id: string;
  stream: string;
  revision: number;
  type: string;
  schema_version: number;
  data: RecordedEvent['data'];
  metadata: RecordedEvent['metadata'];
};

/** Evaluates the journeys at `now` and brings their findings and alerts up to date. */
export async function reevaluate(
  tx: SqlClient,
  schema: string,
  journeyIds: readonly string[],
  now: string,
  profiles: readonly JurisdictionProfile[],
): Promise<void> {
  if (journeyIds.length === 0) return;
  const { rows } = await tx.query<EventRow>(
    `SELECT j.journey_id, j.org_id, e.id, e.stream, e.revision, e.type, e.schema_version, e.data, e.metadata
       FROM ${schema}.journeys j JOIN ${schema}.events e ON e.journey_id = j.journey_id
      WHERE j.journey_id = ANY($1::text[])
     UNION ALL
     SELECT j.journey_id, j.org_id, e.id, e.stream, e.revision, e.type, e.schema_version, e.data, e.metadata
       FROM ${schema}.journeys j JOIN ${schema}.events e ON e.person_id = j.person_id
      WHERE j.journey_id = ANY($1::text[])`,
    [journeyIds],
  );
  const byJourney = new Map<string, { orgId: string; events: RecordedEvent[] }>();
  for (const row of rows) {
    const entry = byJourney.get(row.journey_id) ?? { orgId: row.org_id, events: [] };
    entry.events.push({
      id: row.id,
      stream: row.stream,
      revision: row.revision,
      type: row.type,
      schemaVersion: row.schema_version,
      data: row.data,
      metadata: row.metadata,
      position: '',
      prevHash: null,
      hash: '',
    });
    byJourney.set(row.journey_id, entry);
  }
  const found: (Finding & { key: string; journeyId: string; orgId: string })[] = [];
  const evaluated: string[] = [];
  for (const [journeyId, { orgId, events }] of byJourney) {
    // Never judge a journey as of a time before what it already holds: fed from several Kafka
    // topics, a batch of one service can arrive after later events of another.
    const asOf = events.reduce(
      (latest, event) => (event.metadata.recordedAt > latest ? event.metadata.recordedAt : latest),
      now,
    );
    try {
      const evaluation = auditJourney({ journeyId, recorded: events, profiles, asOf });
      if (!evaluation) continue;
      evaluated.push(journeyId);
      for (const finding of evaluation.findings)
        found.push({ ...finding, key: findingKey(journeyId, finding), journeyId, orgId });
    } catch (error) {
      // A journey under a jurisdiction without a profile cannot be judged: it stays unevaluated.
      if (!(error instanceof UnknownJurisdictionError)) throw error;
    }
  }
  const { rows: open } = await tx.query<{ finding_key: string }>(
    `SELECT finding_key FROM ${schema}.findings WHERE journey_id = ANY($1::text[]) AND resolved_at IS NULL`,
    [evaluated],
  );
  const openKeys = new Set(open.map((row) => row.finding_key));
  const foundKeys = new Set(found.map((finding) => finding.key));
  const appeared = found.filter((finding) => !openKeys.has(finding.key));
  const resolved = [...openKeys].filter((key) => !foundKeys.has(key));
  if (appeared.length > 0) {
    const payload = JSON.stringify(
      appeared.map((finding) => ({
        finding_key: finding.key,
        journey_id: finding.journeyId,
        org_id: finding.orgId,
        rule_id: finding.ruleId,
        rule_version: finding.ruleVersion,
        severity: finding.severity,
        occurred_at: finding.occurredAt,
        evidence: finding.evidenceEventIds,
        reason: finding.reason,
      })),
    );
    await tx.query(
      `INSERT INTO ${schema}.findings AS f (finding_key, journey_id, org_id, rule_id, rule_version, severity,
              occurred_at, evidence, reason, detected_at)
       SELECT finding_key, journey_id, org_id, rule_id, rule_version, severity, occurred_at,
              ARRAY(SELECT jsonb_array_elements_text(evidence)), reason, $2::timestamptz
         FROM jsonb_to_recordset($1::jsonb) AS t(finding_key text, journey_id text, org_id text, rule_id text,
              rule_version integer, severity text, occurred_at timestamptz, evidence jsonb, reason text)
       ON CONFLICT (finding_key) DO UPDATE SET resolved_at = NULL, detected_at = EXCLUDED.detected_at`,
      [payload, now],
    );
    await tx.query(
      `INSERT INTO ${schema}.alerts (finding_key, journey_id, org_id, rule_id, severity, reason, occurred_at, raised_at)
       SELECT finding_key, journey_id, org_id, rule_id, severity, reason, occurred_at, $2::timestamptz
         FROM jsonb_to_recordset($1::jsonb) AS t(finding_key text, journey_id text, org_id text, rule_id text,
              severity text, reason text, occurred_at timestamptz)
        WHERE severity = 'breach'`,
      [payload, now],
    );
  }
  if (resolved.length > 0)
    await tx.query(
      `UPDATE ${schema}.findings SET resolved_at = $2::timestamptz WHERE finding_key = ANY($1::text[])`,
      [resolved, now],
    );
}

/**
 * Re-evaluates every journey at `now` (called by a scheduler): findings that arise from the mere
 * passing of time (a deadline with nothing recorded) appear without a new event.
 */
export async function sweepFindings(
  db: SqlDatabase,
  schema: string,
  now: string,
  profiles: readonly JurisdictionProfile[],
  chunk = 200,
): Promise<void> {
  const { rows } = await db.query<{ journey_id: string }>(
    `SELECT journey_id FROM ${schema}.journeys ORDER BY journey_id`,
  );
  for (let start = 0; start < rows.length; start += chunk) {
    const ids = rows.slice(start, start + chunk).map((row) => row.journey_id);
    await db.transaction((tx) => reevaluate(tx, schema, ids, now, profiles));
  }
}
