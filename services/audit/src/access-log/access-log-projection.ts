import { accessFamily } from '@waypoint/contracts';
import type { Projection, SqlClient } from '@waypoint/projections';

export const ACCESS_LOG_PROJECTION = 'audit_access_log';

/**
 * Who read which journey's (or person's) personal data, and when: every service's access records
 * (`access-<service>-...`) and break-glass openings, in one table. Reasons given for break-glass
 * stay in the events, encrypted; the log keeps who, what, when and through which route.
 */
export function accessLogProjection(): Projection {
  return {
    name: ACCESS_LOG_PROJECTION,
    version: 1,
    filter: { categories: ['access'] },
    async setup(tx, schema) {
      await tx.query(`CREATE TABLE ${schema}.access_log (
        event_id text PRIMARY KEY, kind text NOT NULL, subject_kind text NOT NULL, subject_id text NOT NULL,
        user_id text NOT NULL, org_id text NOT NULL, roles text[] NOT NULL, categories text[] NOT NULL,
        route text, break_glass boolean NOT NULL, at timestamptz NOT NULL, stream text NOT NULL)`);
      await tx.query(`CREATE INDEX ON ${schema}.access_log (subject_id, at)`);
      await tx.query(`CREATE INDEX ON ${schema}.access_log (user_id, at)`);
    },
    async apply(tx, events, schema) {
      const rows = events
        .filter((event) => accessFamily.has(event.type))
        .map((recorded) => {
          const event = accessFamily.decode(recorded);
          const common = {
            event_id: recorded.id,
            at: recorded.metadata.recordedAt,
            stream: recorded.stream,
          };
          return event.type === 'PersonalDataRead'
            ? {
                ...common,
                kind: 'read',
                subject_kind: event.data.subjectKind,
                subject_id: event.data.subjectId,
                user_id: event.data.userId,
                org_id: event.data.orgId,
                roles: event.data.roles,
                categories: event.data.categories,
                route: event.data.route,
                break_glass: event.data.breakGlass,
              }
            : {
                ...common,
                kind: 'break_glass',
                subject_kind: 'journey',
                subject_id: event.data.journeyId,
                user_id: event.data.userId,
                org_id: event.data.orgId,
                roles: [recorded.metadata.actor.role],
                categories: [],
                route: null,
                break_glass: true,
              };
        });
      if (rows.length === 0) return;
      await tx.query(
        `INSERT INTO ${schema}.access_log (event_id, kind, subject_kind, subject_id, user_id, org_id, roles,
                categories, route, break_glass, at, stream)
         SELECT event_id, kind, subject_kind, subject_id, user_id, org_id,
                ARRAY(SELECT jsonb_array_elements_text(roles)), ARRAY(SELECT jsonb_array_elements_text(categories)),
                route, break_glass, at, stream
           FROM jsonb_to_recordset($1::jsonb) AS t(event_id text, kind text, subject_kind text, subject_id text,
                user_id text, org_id text, roles jsonb, categories jsonb, route text, break_glass boolean,
                at timestamptz, stream text)
         ON CONFLICT (event_id) DO NOTHING`,
        [JSON.stringify(rows)],
      );
    },
  };
}

export interface AccessEntry {
  readonly eventId: string;
  readonly kind: 'read' | 'break_glass';
  readonly subjectKind: string;
  readonly subjectId: string;
  readonly userId: string;
  readonly orgId: string;
  readonly roles: readonly string[];
  readonly categories: readonly string[];
  readonly route: string | null;
  readonly breakGlass: boolean;
  readonly at: string;
}

export async function listAccess(
  db: SqlClient,
  schema: string,
  filter: {
    readonly subjectIds?: readonly string[];
    readonly userId?: string;
    readonly from?: string;
    readonly to?: string;
    readonly limit?: number;
  },
): Promise<AccessEntry[]> {
  const { rows } = await db.query<{
    event_id: string;
    kind: 'read' | 'break_glass';
    subject_kind: string;
    subject_id: string;
    user_id: string;
    org_id: string;
    roles: string[];
    categories: string[];
    route: string | null;
    break_glass: boolean;
    at: Date | string;
  }>(
    `SELECT * FROM ${schema}.access_log
      WHERE ($1::text[] IS NULL OR subject_id = ANY($1::text[]))
        AND ($2::text IS NULL OR user_id = $2)
        AND ($3::timestamptz IS NULL OR at >= $3)
        AND ($4::timestamptz IS NULL OR at < $4)
      ORDER BY at, event_id LIMIT $5`,
    [
      filter.subjectIds ?? null,
      filter.userId ?? null,
      filter.from ?? null,
      filter.to ?? null,
      filter.limit ?? 1_000,
    ],
  );
  return rows.map((row) => ({
    eventId: row.event_id,
    kind: row.kind,
    subjectKind: row.subject_kind,
    subjectId: row.subject_id,
    userId: row.user_id,
    orgId: row.org_id,
    roles: row.roles,
    categories: row.categories,
    route: row.route,
    breakGlass: row.break_glass,
    at: new Date(row.at).toISOString(),
  }));
}
