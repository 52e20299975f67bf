import type { SqlClient } from '@waypoint/projections';
import type { ServiceMetrics } from '@waypoint/service-kit';
import type { ReadModels } from '../deps.js';
import { FINDINGS_PROJECTION } from './findings-projection.js';

type Registry = ServiceMetrics['registry'];

const SEVERITIES = ['breach', 'flag'] as const;
const DAY_MS = 86_400_000;

export interface FindingCounts {
  /** Unresolved findings that no reviewer dismissed (a breach cannot be), per severity. */
  readonly open: Readonly<Record<(typeof SEVERITIES)[number], number>>;
  /** Alerts raised since the read model was built: one each time a breach appears. */
  readonly breachAlerts: number;
  /** Alerts raised within the day before `now`. */
  readonly breachAlertsLastDay: number;
}

/** What the findings read model holds now, in one statement. */
export async function countFindings(
  db: SqlClient,
  schema: string,
  now: Date,
): Promise<FindingCounts> {
  const { rows } = await db.query<{ severity: string; n: string }>(
    `SELECT f.severity, count(*) AS n
       FROM ${schema}.findings f
      WHERE f.resolved_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM ${schema}.reviews r
                         WHERE r.finding_key = f.finding_key AND r.type = 'FindingDismissed')
      GROUP BY f.severity`,
  );
  const alerts = await db.query<{ total: string; last_day: string }>(
    `SELECT count(*) AS total, count(*) FILTER (WHERE raised_at > $1::timestamptz) AS last_day
       FROM ${schema}.alerts`,
    [new Date(now.getTime() - DAY_MS).toISOString()],
  );
  const open = { breach: 0, flag: 0 };
  for (const row of rows)
    if (row.severity === 'breach' || row.severity === 'flag') open[row.severity] = Number(row.n);
  return {
    open,
    breachAlerts: Number(alerts.rows[0]?.total ?? 0),
    breachAlertsLastDay: Number(alerts.rows[0]?.last_day ?? 0),
  };
}

interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/**
 * A family computed at scrape time, given to the registry in the shape prom-client reads every
 * metric in (`name`, `get()`, `reset()`): prom-client is not a dependency of this service. With it
 * one, this is `new Gauge({ name, help, labelNames, registers: [registry], collect })`.
 */
function registerScraped(
  registry: Registry,
  family: {
    readonly name: string;
    readonly help: string;
    readonly type: 'gauge' | 'counter';
    collect(): Promise<readonly Sample[]>;
  },
): void {
  const metric = {
    name: family.name,
    async get() {
      const samples = await family.collect();
      return {
        name: metric.name,
        help: family.help,
        type: family.type,
        aggregator: 'sum',
        values: samples.map((sample) => ({ labels: { ...sample.labels }, value: sample.value })),
      };
    },
    reset: () => undefined,
  };
  registry.registerMetric(metric as unknown as Parameters<Registry['registerMetric']>[0]);
}

/**
 * The findings read model as Prometheus metrics, read when scraped: open findings by severity, and
 * breach alerts (a counter, and those of the last day). Any open breach, and any new alert,
 * deserves an operator's attention (docs/operations.md). While the read model has no active
 * generation (or its database is down) the families have no sample: the scrape itself succeeds.
 */
export function registerFindingsMetrics(
  registry: Registry,
  readModels: ReadModels,
  now: () => Date,
): void {
  let pending: Promise<FindingCounts | undefined> | undefined;
  // One read per scrape serves the three families.
  const counts = (): Promise<FindingCounts | undefined> => {
    pending ??= readModels
      .schemaOf(FINDINGS_PROJECTION)
      .then((schema) => countFindings(readModels.db, schema, now()))
      .catch(() => undefined)
      .finally(() => {
        setTimeout(() => {
          pending = undefined;
        }, 250).unref();
      });
    return pending;
  };
  registerScraped(registry, {
    name: 'audit_open_findings',
    help: 'Unresolved findings of the audit rules that no reviewer dismissed, by severity',
    type: 'gauge',
    collect: async () => {
      const found = await counts();
      return found
        ? SEVERITIES.map((severity) => ({ labels: { severity }, value: found.open[severity] }))
        : [];
    },
  });
  registerScraped(registry, {
    name: 'audit_breaches_detected_total',
    help: 'Breach alerts raised by the findings read model (one each time a breach appears); recounted when the read model is rebuilt',
    type: 'counter',
    collect: async () => {
      const found = await counts();
      return found ? [{ labels: {}, value: found.breachAlerts }] : [];
    },
  });
  registerScraped(registry, {
    name: 'audit_breach_alerts_last_day',
    help: 'Breach alerts raised within the last 24 hours',
    type: 'gauge',
    collect: async () => {
      const found = await counts();
      return found ? [{ labels: {}, value: found.breachAlertsLastDay }] : [];
    },
  });
}
