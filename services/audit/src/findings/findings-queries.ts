import type { SqlClient } from '@waypoint/projections';
import type { ReviewStatus } from './domain/state.js';

export interface StoredFinding {
  readonly findingKey: string;
  readonly journeyId: string;
  readonly orgId: string;
  readonly ruleId: string;
  readonly ruleVersion: number;
  readonly severity: 'breach' | 'flag';
  readonly occurredAt: string;
  readonly evidenceEventIds: readonly string[];
  readonly reason: string;
  readonly detectedAt: string;
  readonly resolvedAt: string | null;
  readonly reviewStatus: ReviewStatus;
}

export interface FindingFilter {
  readonly journeyId?: string;
  /** Only findings of journeys opened by these organisations; undefined for any. */
  readonly orgIds?: readonly string[];
  readonly from?: string;
  readonly to?: string;
  readonly includeResolved?: boolean;
  readonly limit?: number;
}

type FindingRow = {
  finding_key: string;
  journey_id: string;
  org_id: string;
  rule_id: string;
  rule_version: number;
  severity: 'breach' | 'flag';
  occurred_at: Date | string;
  evidence: string[];
  reason: string;
  detected_at: Date | string;
  resolved_at: Date | string | null;
  review_status: ReviewStatus;
};

const iso = (value: Date | string): string => new Date(value).toISOString();

/** The findings of the read model, with their review status, oldest occurrence first. */
export async function listFindings(
  db: SqlClient,
  schema: string,
  filter: FindingFilter,
): Promise<StoredFinding[]> {
  const { rows } = await db.query<FindingRow>(
    `SELECT f.*, CASE
              WHEN EXISTS (SELECT 1 FROM ${schema}.reviews r WHERE r.finding_key = f.finding_key AND r.type = 'FindingDismissed') THEN 'dismissed'
              WHEN EXISTS (SELECT 1 FROM ${schema}.reviews r WHERE r.finding_key = f.finding_key AND r.type = 'FindingAcknowledged') THEN 'acknowledged'
              ELSE 'open' END AS review_status
       FROM ${schema}.findings f
      WHERE ($1::text IS NULL OR f.journey_id = $1)
        AND ($2::text[] IS NULL OR f.org_id = ANY($2::text[]))
        AND ($3::timestamptz IS NULL OR f.occurred_at >= $3)
        AND ($4::timestamptz IS NULL OR f.occurred_at < $4)
        AND ($5::boolean OR f.resolved_at IS NULL)
      ORDER BY f.occurred_at, f.rule_id, f.finding_key
      LIMIT $6`,
    [
      filter.journeyId ?? null,
      filter.orgIds ?? null,
      filter.from ?? null,
      filter.to ?? null,
      filter.includeResolved ?? false,
      filter.limit ?? 1_000,
    ],
  );
  return rows.map((row) => ({
    findingKey: row.finding_key,
    journeyId: row.journey_id,
    orgId: row.org_id,
    ruleId: row.rule_id,
    ruleVersion: row.rule_version,
    severity: row.severity,
    occurredAt: iso(row.occurred_at),
    evidenceEventIds: row.evidence,
    reason: row.reason,
    detectedAt: iso(row.detected_at),
    resolvedAt: row.resolved_at === null ? null : iso(row.resolved_at),
    reviewStatus: row.review_status,
  }));
}

export interface Alert {
  readonly seq: number;
  readonly findingKey: string;
  readonly journeyId: string;
  readonly orgId: string;
  readonly ruleId: string;
  readonly severity: 'breach';
  readonly reason: string;
  readonly occurredAt: string;
  readonly raisedAt: string;
}

/** Alerts raised for new breaches after `after` (a sequence number), oldest first. */
export async function listAlerts(
  db: SqlClient,
  schema: string,
  filter: { readonly orgIds?: readonly string[]; readonly after?: number; readonly limit?: number },
): Promise<Alert[]> {
  const { rows } = await db.query<{
    seq: string | number;
    finding_key: string;
    journey_id: string;
    org_id: string;
    rule_id: string;
    reason: string;
    occurred_at: Date | string;
    raised_at: Date | string;
  }>(
    `SELECT * FROM ${schema}.alerts
      WHERE seq > $1 AND ($2::text[] IS NULL OR org_id = ANY($2::text[]))
      ORDER BY seq LIMIT $3`,
    [filter.after ?? 0, filter.orgIds ?? null, filter.limit ?? 500],
  );
  return rows.map((row) => ({
    seq: Number(row.seq),
    findingKey: row.finding_key,
    journeyId: row.journey_id,
    orgId: row.org_id,
    ruleId: row.rule_id,
    severity: 'breach',
    reason: row.reason,
    occurredAt: iso(row.occurred_at),
    raisedAt: iso(row.raised_at),
  }));
}
