import { createPostgresDatabase, replay, type SqlDatabase } from '@waypoint/projections';
import { createServiceApp, type ServiceApp } from '@waypoint/service-kit';
import { testAuth } from '@waypoint/service-kit/testing';
import { createTestDatabase, type TestDatabase } from '@waypoint/testing';
import { v7 } from 'uuid';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { appendRecorded } from '../testing/seed.js';
import { compliantChildReturnJourney, NL_PROFILE } from '../testing/journeys.js';
import {
  AUDIT_TEST_METRICS_CREDENTIAL,
  auditTestWorld,
  type AuditTestWorld,
} from '../testing/test-app.js';
import { registerFindingsMetrics } from './findings-metrics.js';
import { FINDINGS_PROJECTION, findingsProjection } from './findings-projection.js';

const { postgresAdminUrl } = inject('services');

const NOW = new Date('2026-02-01T12:00:00.000Z');
const hoursBefore = (hours: number): string =>
  new Date(NOW.getTime() - hours * 3_600_000).toISOString();

/** The value of one sample of an app's /metrics, or undefined when it has none. */
const METRICS_CREDENTIAL = AUDIT_TEST_METRICS_CREDENTIAL;

async function scraped(
  app: ServiceApp,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  const response = await app.inject({
    url: '/metrics',
    headers: { authorization: `Bearer ${METRICS_CREDENTIAL}` },
  });
  expect(response.statusCode).toBe(200);
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of response.body.split('\n')) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    if (wanted.every((pair) => (match[2] ?? '').split(',').includes(pair))) return Number(match[3]);
  }
  return undefined;
}

describe.skipIf(!postgresAdminUrl)('the findings read model as metrics', () => {
  let database: TestDatabase;
  let db: SqlDatabase;
  let app: ServiceApp;
  const projection = findingsProjection({ profiles: [NL_PROFILE] });

  beforeAll(async () => {
    database = await createTestDatabase(postgresAdminUrl ?? '', 'wp_audit_metrics');
    db = createPostgresDatabase(database.url);
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });
  beforeEach(async () => {
    app = await createServiceApp({
      name: 'audit',
      version: 'test',
      authenticator: (await testAuth()).authenticator,
      readiness: () => Promise.resolve(true),
      rateLimit: false,
      logger: { level: 'silent' },
      metricsCredential: METRICS_CREDENTIAL,
    });
  });
  afterEach(async () => {
    await app.close();
  });

  /** Findings, reviews and alerts written straight into a fresh generation's tables. */
  async function given(rows: {
    findings: { severity: 'breach' | 'flag'; resolved?: boolean; review?: string }[];
    alertsRaisedHoursAgo: number[];
  }): Promise<string> {
    const schema = await replay(db, projection, [], 1);
    for (const finding of rows.findings) {
      const key = v7();
      await db.query(
        `INSERT INTO ${schema}.findings (finding_key, journey_id, org_id, rule_id, rule_version, severity,
                occurred_at, evidence, reason, detected_at, resolved_at)
         VALUES ($1, $2, $3, 'ID-02', 1, $4, $5, '{}', 'guardian_late', $5, $6)`,
        [
          key,
          v7(),
          v7(),
          finding.severity,
          hoursBefore(100),
          finding.resolved ? hoursBefore(1) : null,
        ],
      );
      if (finding.review)
        await db.query(
          `INSERT INTO ${schema}.reviews (event_id, finding_key, journey_id, type, reason_code, actor, at)
           VALUES ($1, $2, $3, $4, 'reviewed', '{}', $5)`,
          [v7(), key, v7(), finding.review, hoursBefore(2)],
        );
    }
    for (const hours of rows.alertsRaisedHoursAgo)
      await db.query(
        `INSERT INTO ${schema}.alerts (finding_key, journey_id, org_id, rule_id, severity, reason, occurred_at, raised_at)
         VALUES ($1, $2, $3, 'ID-02', 'breach', 'guardian_late', $4, $4)`,
        [v7(), v7(), v7(), hoursBefore(hours)],
      );
    return schema;
  }

  it('counts open findings by severity, leaving out resolved ones and dismissed flags', async () => {
    const schema = await given({
      findings: [
        { severity: 'breach' },
        { severity: 'breach', review: 'FindingAnnotated' },
        { severity: 'breach', resolved: true },
        { severity: 'flag' },
        { severity: 'flag', review: 'FindingAcknowledged' },
        { severity: 'flag', review: 'FindingDismissed' },
      ],
      alertsRaisedHoursAgo: [],
    });
    registerFindingsMetrics(
      app.metrics.registry,
      { db, schemaOf: () => Promise.resolve(schema) },
      () => NOW,
    );

    expect(await scraped(app, 'audit_open_findings', { severity: 'breach' })).toBe(2);
    expect(await scraped(app, 'audit_open_findings', { severity: 'flag' })).toBe(2);
  });

  it('counts every breach alert raised, and those of the last 24 hours', async () => {
    const schema = await given({ findings: [], alertsRaisedHoursAgo: [1, 23, 25, 24 * 7] });
    registerFindingsMetrics(
      app.metrics.registry,
      { db, schemaOf: () => Promise.resolve(schema) },
      () => NOW,
    );

    expect(await scraped(app, 'audit_breaches_detected_total')).toBe(4);
    expect(await scraped(app, 'audit_breach_alerts_last_day')).toBe(2);
    expect(await scraped(app, 'audit_open_findings', { severity: 'breach' })).toBe(0);
  });

  it('has no sample while the read model has no active generation, and the scrape still succeeds', async () => {
    registerFindingsMetrics(
      app.metrics.registry,
      {
        db,
        schemaOf: () =>
          Promise.reject(
            new Error(`read model ${FINDINGS_PROJECTION} has no active generation yet`),
          ),
      },
      () => NOW,
    );

    expect(await scraped(app, 'audit_open_findings', { severity: 'breach' })).toBeUndefined();
    expect(await scraped(app, 'audit_breaches_detected_total')).toBeUndefined();
  });
});

describe('the audit service', () => {
  let world: AuditTestWorld;
  afterEach(async () => {
    await world.close();
  });

  it('exposes the breaches its rules find in its /metrics', async () => {
    world = await auditTestWorld();
    const { journey } = compliantChildReturnJourney({ guardianAt: '2025-03-03T09:11:00Z' });
    await appendRecorded(world.store, journey.recorded);
    await world.engine.whenCaughtUp();

    // The guardian was appointed late: an open breach, raised as an alert.
    expect(await scraped(world.app, 'audit_open_findings', { severity: 'breach' })).toBe(1);
    expect(await scraped(world.app, 'audit_breaches_detected_total')).toBeGreaterThanOrEqual(1);
  });
});
