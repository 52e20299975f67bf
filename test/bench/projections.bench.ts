/**
 * `pnpm bench projections`: the journey read model over a PostgreSQL store of at least 1,000,000
 * events across 10,000 journeys (copies of the demo journeys, through all five services).
 *
 * (a) rebuild of the journey read model (timeline and summaries), events/s, in a process of its
 *     own for an honest peak RSS; baseline: reading the same events raw from the store;
 * (b) timeline and summary of a journey with 2,000 events, as a caseworker over the HTTP app
 *     (authentication, decryption and the access record included); baseline: the same rows by
 *     plain SQL.
 *
 * BENCH_JOURNEYS and BENCH_EVENTS_PER_JOURNEY shrink it for a quick look.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { START } from '@waypoint/eventstore';
import { PostgresEventStore } from '@waypoint/eventstore/postgres';
import {
  DEFAULT_DUE_POLICY,
  JOURNEY_PROJECTION,
  JourneyReadModel,
  journeyProjection,
  registerJourney,
} from '@waypoint/journey-service';
import { FieldCipher, MemoryKeyStore } from '@waypoint/privacy';
import { createPostgresDatabase, ProjectionEngine } from '@waypoint/projections';
import { createServiceApp } from '@waypoint/service-kit';
import { testAuth } from '@waypoint/service-kit/testing';
import { createTestDatabase, findPostgres } from '@waypoint/testing';
import pg from 'pg';
import { v7 } from 'uuid';
import { journeyTemplates } from './projections/journey-templates.js';
import { planJourney, populate } from './projections/populate.js';
import { Latencies, processPeakRssMb, round, writeResult, type Workload } from './report.js';

const here = dirname(fileURLToPath(import.meta.url));
const JOURNEYS = Number(process.env.BENCH_JOURNEYS ?? 10_000);
const PER_JOURNEY = Number(process.env.BENCH_EVENTS_PER_JOURNEY ?? 100);
const BIG_JOURNEY = 2_000;
const WRITERS = 8;
const BATCH = 2_000;
const QUERIES = 200;
const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

interface RebuildResult {
  events: number;
  seconds: number;
  peakRssMb: number;
  samples: { applied: number; rssMb: number }[];
}

function rebuildInChild(storeUrl: string, readUrl: string): Promise<RebuildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        ...(process.env.BENCH_CPU_PROF
          ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
          : []),
        '--import',
        'tsx',
        join(here, 'projections', 'rebuild-child.ts'),
        storeUrl,
        readUrl,
        String(BATCH),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`rebuild child exited with ${String(code)}`));
      else resolve(JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as RebuildResult);
    });
  });
}

async function rawReadRate(
  store: PostgresEventStore,
): Promise<{ events: number; seconds: number }> {
  const filter = journeyProjection(DEFAULT_DUE_POLICY).filter;
  const started = performance.now();
  let from = START;
  let events = 0;
  for (;;) {
    const batch = await store.readAllBatch({
      from,
      maxCount: BATCH,
      ...(filter ? { filter } : {}),
    });
    events += batch.events.length;
    from = batch.position;
    if (batch.endOfLog) break;
  }
  return { events, seconds: (performance.now() - started) / 1000 };
}

export async function run(): Promise<void> {
  const postgres = await findPostgres();
  if ('missing' in postgres)
    throw new Error(`the projections benchmark needs PostgreSQL: ${postgres.missing}`);
  const storeDb = await createTestDatabase(postgres.adminUrl, 'wp_bench_events');
  const readDb = await createTestDatabase(postgres.adminUrl, 'wp_bench_reads');
  const store = await PostgresEventStore.open({ connectionString: storeDb.url });
  const keys = new MemoryKeyStore({ masterKey: { id: 'bench', key: randomBytes(32) } });
  const cipher = new FieldCipher(keys);
  const workloads: Workload[] = [];
  try {
    out('recording the demo journeys through the APIs, for templates...');
    const templates = await journeyTemplates();
    out(
      `template: ${String(templates.journey.length)} events through ${String(new Set(templates.journey.map((e) => e.service)).size)} services; ${String(templates.recurring.length)} recurring kinds`,
    );
    const big = planJourney(templates, 0, BIG_JOURNEY);
    const journeys = [
      big,
      ...Array.from({ length: JOURNEYS - 1 }, (_, i) => planJourney(templates, i + 1, PER_JOURNEY)),
    ];
    const started = performance.now();
    let reported = 0;
    const appended = await populate(store, cipher, templates, journeys, WRITERS, (events) => {
      if (events - reported >= 100_000) {
        reported = events;
        out(
          `  ${String(events)} events appended (${String(Math.round(events / ((performance.now() - started) / 1000)))}/s)`,
        );
      }
    });
    const populateSeconds = (performance.now() - started) / 1000;
    out(
      `appended ${String(appended)} events across ${String(journeys.length)} journeys in ${String(round(populateSeconds, 1))} s`,
    );

    // (a) rebuild vs raw read, raw first and again after, to see the cache is warm for both.
    await rawReadRate(store);
    const raw = await rawReadRate(store);
    const rebuild = await rebuildInChild(storeDb.url, readDb.url);
    const rawRate = raw.events / raw.seconds;
    const rebuildRate = rebuild.events / rebuild.seconds;
    workloads.push({
      name: `(a) rebuild journey read model (${String(rebuild.events)} events)`,
      adapter: 'postgres',
      unit: 'events/s',
      value: rebuildRate,
      p50_ms: null,
      p99_ms: null,
      baseline: rawRate,
      ratio: rebuildRate / rawRate,
      peak_rss_mb: rebuild.peakRssMb,
      note: `baseline: raw readAllBatch of the same events (${String(BATCH)} per read). RSS along the rebuild: ${rebuild.samples.map((s) => `${String(s.applied / 1000)}k:${String(s.rssMb)}MB`).join(' ')}`,
    });

    // (b) queries on the 2,000-event journey, over the HTTP app, as a caseworker.
    const db = createPostgresDatabase(readDb.url, 8);
    const engine = await new ProjectionEngine({
      store,
      db,
      projections: [journeyProjection(DEFAULT_DUE_POLICY)],
      run: false,
    }).start();
    const auth = await testAuth();
    const app = await createServiceApp({
      name: 'journey-bench',
      version: 'bench',
      logger: { level: 'silent' },
      authenticator: auth.authenticator,
      rateLimit: false,
      readiness: () => Promise.resolve(true),
    });
    await registerJourney(app, {
      store,
      cipher,
      readModel: new JourneyReadModel(db, () => engine.schemaOf(JOURNEY_PROJECTION)),
      policy: DEFAULT_DUE_POLICY,
      now: () => new Date(),
      newId: v7,
    });
    await app.ready();
    const token = await auth.tokenFor({
      roles: ['caseworker'],
      org: '0193a000-0000-7000-8000-000000000001',
      sub: 'bench-caseworker',
    });
    const schema = await engine.schemaOf(JOURNEY_PROJECTION);
    const rawPool = new pg.Pool({ connectionString: readDb.url, max: 2 });
    rawPool.on('error', () => undefined);
    const queries: { name: string; url: string; sql: string; params: unknown[] }[] = [
      {
        name: '(b) timeline, 2,000-event journey, page of 200',
        url: `/journeys/${big.journeyId}/timeline`,
        sql: `SELECT * FROM ${schema}.timeline WHERE journey_id = $1 ORDER BY occurred_at, event_id LIMIT 201`,
        params: [big.journeyId],
      },
      {
        name: '(c) timeline, 2,000-event journey, page of 1,000',
        url: `/journeys/${big.journeyId}/timeline?limit=1000`,
        sql: `SELECT * FROM ${schema}.timeline WHERE journey_id = $1 ORDER BY occurred_at, event_id LIMIT 1001`,
        params: [big.journeyId],
      },
      {
        name: '(d) summary, 2,000-event journey',
        url: `/journeys/${big.journeyId}/summary`,
        sql: `SELECT summary FROM ${schema}.summaries WHERE journey_id = $1`,
        params: [big.journeyId],
      },
    ];
    for (const query of queries) {
      const system = new Latencies();
      const baseline = new Latencies();
      for (let n = 0; n < 10; n += 1) {
        await app.inject({
          method: 'GET',
          url: query.url,
          headers: { authorization: `Bearer ${token}` },
        });
        await rawPool.query(query.sql, query.params);
      }
      // Interleaved, so that both see the same machine.
      for (let n = 0; n < QUERIES; n += 1) {
        const response = await system.time(() =>
          app.inject({
            method: 'GET',
            url: query.url,
            headers: { authorization: `Bearer ${token}` },
          }),
        );
        if (response.statusCode !== 200)
          throw new Error(
            `${query.url}: ${String(response.statusCode)} ${response.body.slice(0, 300)}`,
          );
        await baseline.time(() => rawPool.query(query.sql, query.params));
      }
      const s = system.summary();
      const b = baseline.summary();
      workloads.push({
        name: query.name,
        adapter: 'postgres',
        unit: 'queries/s',
        value: 1000 / s.p50,
        p50_ms: s.p50,
        p99_ms: s.p99,
        baseline: 1000 / b.p50,
        ratio: b.p99 / s.p99,
        note: `baseline: the same rows by plain SQL (p50 ${String(round(b.p50, 2))} ms, p99 ${String(round(b.p99, 2))} ms); ratio is baseline p99 / system p99`,
      });
    }
    await rawPool.end();
    await app.close();
    await engine.stop();
    await db.close();
    writeResult(
      {
        suite: 'projections',
        workloads,
        peak_rss_mb: processPeakRssMb(),
        machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
        at: new Date().toISOString(),
      },
      out,
    );
  } finally {
    await store.close();
    await storeDb.drop();
    await readDb.drop();
    await postgres.stop();
  }
}
