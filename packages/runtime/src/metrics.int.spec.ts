import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { newEventId } from '@waypoint/eventstore';
import type { Projection } from '@waypoint/projections';
import { loadConfig } from '@waypoint/service-kit';
import { testAuth } from '@waypoint/service-kit/testing';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { distributedConfigSchema } from './config.js';
import { startDistributedService, type DistributedService } from './start-service.js';

declare module 'vitest' {
  interface ProvidedContext {
    /** From @waypoint/testing's global setup (that package is not a dependency of this one). */
    services: { readonly postgresAdminUrl: string | null; readonly kafkaBrokers: string[] | null };
  }
}

const { postgresAdminUrl, kafkaBrokers } = inject('services');

const quiet = new Writable({
  write(_chunk, _encoding, done) {
    done();
  },
});

/** A fresh database, dropped WITH (FORCE) at the end (this package has no @waypoint/testing). */
async function freshDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `wp_runtime_metrics_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Counts the analytics events it is given: the smallest read model. */
const counting: Projection = {
  name: 'spec_count',
  version: 1,
  filter: { categories: ['analytics'] },
  async setup(tx, schema) {
    await tx.query(`CREATE TABLE ${schema}.seen (id text PRIMARY KEY)`);
  },
  async apply(tx, events, schema) {
    await tx.query(`INSERT INTO ${schema}.seen SELECT unnest($1::text[])`, [
      events.map((event) => event.id),
    ]);
  },
};

function sampleOf(
  body: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of body.split('\n')) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    if (wanted.every((pair) => (match[2] ?? '').split(',').includes(pair))) return Number(match[3]);
  }
  return undefined;
}

async function eventually(check: () => Promise<void>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

describe.skipIf(!postgresAdminUrl)("a distributed service's /metrics", () => {
  const databases: { url: string; drop(): Promise<void> }[] = [];
  let env: Record<string, string>;
  const credential = randomBytes(24).toString('base64url');
  const credentialFile = join(mkdtempSync(join(tmpdir(), 'wp-metrics-')), 'credential');
  writeFileSync(credentialFile, `${credential}\n`, { mode: 0o600 });
  let service: DistributedService | undefined;

  beforeAll(async () => {
    const auth = await testAuth();
    env = {
      AUTH_PUBLIC_JWK: JSON.stringify(auth.publicJwk),
      AUTH_ISSUER: auth.issuer,
      AUTH_AUDIENCE: auth.audience,
      MASTER_KEY: `spec-1:${randomBytes(32).toString('base64')}`,
      METRICS_CREDENTIAL_FILE: credentialFile,
    };
  });
  afterEach(async () => {
    await service?.close();
    service = undefined;
  });
  afterAll(async () => {
    for (const database of databases) await database.drop();
  });

  async function start(
    extra: Record<string, string>,
    source: 'own-store' | 'services',
  ): Promise<DistributedService> {
    const database = await freshDatabase(postgresAdminUrl ?? '');
    databases.push(database);
    service = await startDistributedService(
      {
        name: 'analytics',
        projections: { list: [counting], source },
        deps: () => undefined,
        register: () => Promise.resolve(),
      },
      loadConfig(distributedConfigSchema({}), {
        ...env,
        EVENT_STORE_URL: database.url,
        READ_MODEL_DATABASE_URL: database.url,
        ...extra,
      }),
      quiet,
    );
    return service;
  }

  async function appendAnalyticsEvent(running: DistributedService): Promise<void> {
    await running.store.append(`analytics-${newEventId()}`, [
      {
        id: newEventId(),
        type: 'ExportRecorded',
        schemaVersion: 1,
        data: { rows: 0 },
        metadata: {
          occurredAt: new Date().toISOString(),
          actor: { userId: 'u', role: 'analyst', orgId: newEventId() },
          correlationId: 'c',
          causationId: 'c',
        },
      },
    ]);
  }

  async function scrape(running: DistributedService): Promise<string> {
    const response = await running.app.inject({
      url: '/metrics',
      headers: { authorization: `Bearer ${credential}` },
    });
    expect(response.statusCode).toBe(200);
    return response.body;
  }

  it('without Kafka: the oldest transaction of both clusters and the read models from the store', async () => {
    const running = await start({}, 'own-store');
    await appendAnalyticsEvent(running);
    await running.readModels?.whenCaughtUp();

    // registerProjectionMetrics fills three of its four gauges while the registry reads them: a
    // first scrape shows them empty (reported to @waypoint/projections), the next one filled.
    await scrape(running);
    const body = await scrape(running);
    for (const cluster of ['event_store', 'read_models']) {
      expect(
        sampleOf(body, 'pg_oldest_transaction_age_seconds', { cluster }),
      ).toBeGreaterThanOrEqual(0);
      expect(
        sampleOf(body, 'pg_oldest_writing_transaction_age_seconds', { cluster }),
      ).toBeGreaterThanOrEqual(0);
    }
    const projection = { projection: 'spec_count', status: 'active' };
    expect(sampleOf(body, 'projection_events_applied', projection)).toBeGreaterThanOrEqual(1);
    expect(sampleOf(body, 'projection_events_behind', projection)).toBe(0);
    expect(sampleOf(body, 'projection_parked_events', projection)).toBe(0);
    expect(sampleOf(body, 'relay_healthy')).toBeUndefined();
  });

  it.skipIf(!kafkaBrokers)(
    'with Kafka: the relay, the consumer groups, and the parked events of read models fed from the topics',
    async () => {
      const running = await start(
        {
          KAFKA_BROKERS: (kafkaBrokers ?? []).join(','),
          KAFKA_SESSION_TIMEOUT_MS: '6000',
          KAFKA_REBALANCE_TIMEOUT_MS: '8000',
        },
        'services',
      );
      await appendAnalyticsEvent(running);
      await running.relay?.whenCaughtUp();

      const topic = 'waypoint.analytics.v1';
      await eventually(async () => {
        const body = await scrape(running);
        expect(sampleOf(body, 'relay_events_total', { relay: 'analytics' })).toBeGreaterThanOrEqual(
          1,
        );
        expect(sampleOf(body, 'relay_healthy', { relay: 'analytics' })).toBe(1);
        expect(sampleOf(body, 'relay_events_behind', { relay: 'analytics' })).toBe(0);
        expect(sampleOf(body, 'bus_consumer_messages_total', { topic })).toBeGreaterThanOrEqual(1);
        expect(sampleOf(body, 'bus_consumer_healthy', { topic })).toBe(1);
      });
      // Another service's read model in the same database is that service's to report.
      await running.readModels?.db.query(
        `INSERT INTO wp_projection_generations (name, generation, version, status)
         VALUES ('another_services_model', 1, 1, 'active')`,
      );
      const body = await scrape(running);
      const projection = { projection: 'spec_count', status: 'active' };
      expect(sampleOf(body, 'projection_parked_events', projection)).toBe(0);
      expect(
        sampleOf(body, 'projection_parked_events', { projection: 'another_services_model' }),
      ).toBeUndefined();
      // Bus-fed generations have no checkpoint in the log: no lag measured from one.
      expect(sampleOf(body, 'projection_events_behind', projection)).toBeUndefined();
    },
  );
});
