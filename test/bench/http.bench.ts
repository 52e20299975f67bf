/**
 * `pnpm bench http`: the identification service over HTTP on the PostgreSQL store, in one run.
 *
 * - command throughput and latency: recording an indicator observation on an existing journey,
 *   50 connections (one journey each), ES256 tokens, an Idempotency-Key per request, autocannon in
 *   its own process;
 * - the baseline: the store's own single-event append rate at the same concurrency;
 * - the identification-state query as a caseworker (decryption and the access record included);
 * - the embedded process as `pnpm start` runs it: start to the first /health 200, peak memory
 *   (VmHWM), demo creation rate (DEMO_JOURNEYS), each beside a baseline from the same run.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JsonObject, NewEvent } from '@waypoint/eventstore';
import { PostgresEventStore } from '@waypoint/eventstore/postgres';
import { SqliteEventStore } from '@waypoint/eventstore/sqlite';
import {
  organisationDirectory,
  personIndex,
  registerIdentification,
  IDENTIFICATION_REDACT_PATHS,
} from '@waypoint/identification-service';
import { BlindIndex, CachingKeyStore, FieldCipher, PostgresKeyStore } from '@waypoint/privacy';
import {
  createAuthenticator,
  createServiceApp,
  generateSigningKeyPair,
  mintToken,
} from '@waypoint/service-kit';
import { createTestDatabase, findPostgres } from '@waypoint/testing';
import { demoToken } from '@waypoint/all-in-one/tokens';
import type { JWK } from 'jose';
import { v7 } from 'uuid';
import {
  runStartSteps,
  startBareFastify,
  startEmbeddedProcess,
  startScript,
} from './embedded-process.js';
import {
  Latencies,
  percentile,
  processPeakRssMb,
  round,
  writeResult,
  type Workload,
} from './report.js';

const CONNECTIONS = 50;
const DURATION_SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const QUERY_CONNECTIONS = 10;
/** The service rows alternate system and baseline in rounds, so drift falls on both. */
const SERVICE_ROUNDS = 2;
/** Demo journeys the embedded rows create (`BENCH_DEMO_JOURNEYS`, default 1,000 as in issue 15). */
const DEMO_JOURNEYS = Number(process.env.BENCH_DEMO_JOURNEYS ?? 1_000);
/** Interleaved rounds of each start and its baseline. */
const START_ROUNDS = Number(process.env.BENCH_START_ROUNDS ?? 3);
const round2 = (value: number | undefined): number => round(value ?? Number.NaN, 2);
const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

interface LoadResult {
  requestsPerSecond: number;
  total: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, { count: number }>;
}

/** Runs the load in a child process; asynchronously, since the server shares this event loop. */
async function autocannon(plan: Record<string, unknown>): Promise<LoadResult> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(here, 'autocannon-runner.ts'), JSON.stringify(plan)],
    { cwd: root },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`autocannon failed: ${stderr}`);
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as LoadResult;
}

async function benchService(): Promise<Workload[]> {
  const found = await findPostgres();
  if ('missing' in found) {
    out(`skipping: ${found.missing}`);
    return [];
  }
  const database = await createTestDatabase(found.adminUrl, 'wp_bench_http');
  const store = await PostgresEventStore.open({ connectionString: database.url, poolSize: 20 });
  const keys = new CachingKeyStore(
    await PostgresKeyStore.open({
      connectionString: database.url,
      masterKey: { id: 'bench-1', key: randomBytes(32) },
    }),
  );
  const signing = await generateSigningKeyPair();
  const issuer = 'bench';
  const audience = 'waypoint';
  const app = await createServiceApp({
    name: 'identification',
    version: 'bench',
    logger: { level: 'warn' },
    authenticator: createAuthenticator(
      { publicJwk: signing.publicJwk },
      { issuer, audience, maxLifetimeSeconds: 900 },
    ),
    rateLimit: false,
    readiness: () => Promise.resolve(true),
    redactPaths: IDENTIFICATION_REDACT_PATHS,
  });
  await registerIdentification(app, {
    store,
    cipher: new FieldCipher(keys),
    blindIndex: new BlindIndex(randomBytes(32)),
    directory: organisationDirectory(store),
    persons: personIndex(store),
    now: () => new Date(),
    newId: v7,
    breakGlassMinutes: 60,
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const orgId = v7();
  const token = (sub: string): Promise<string> =>
    mintToken(signing.privateJwk, {
      sub,
      org: orgId,
      roles: ['caseworker'],
      ttlSeconds: 900,
      issuer,
      audience,
    });
  const rows: Workload[] = [];
  try {
    out(`setting up ${String(CONNECTIONS)} journeys...`);
    const caseworker = await token('bench-caseworker');
    const journeys: string[] = [];
    for (let n = 0; n < CONNECTIONS; n += 1) {
      const person = await app.inject({
        method: 'POST',
        url: '/persons',
        headers: { authorization: `Bearer ${caseworker}` },
        payload: {
          identity: { givenName: 'Bench', familyName: `Person ${String(n)}` },
          gender: 'Feminine',
          ageBand: '24-26',
          child: 'no',
          citizenship: ['NL'],
          languages: ['nl'],
        },
      });
      const { personId } = person.json<{ personId: string }>();
      const journey = await app.inject({
        method: 'POST',
        url: '/journeys',
        headers: { authorization: `Bearer ${caseworker}` },
        payload: { personId, jurisdiction: 'NL' },
      });
      journeys.push(journey.json<{ journeyId: string }>().journeyId);
    }
    const tokens = await Promise.all(journeys.map((_, n) => token(`bench-user-${String(n)}`)));

    const serverErrors = (counts: Record<string, { count: number }>): number =>
      Object.entries(counts)
        .filter(([status]) => status.startsWith('5'))
        .reduce((sum, [, { count }]) => sum + count, 0);
    const checked = (label: string, load: LoadResult): LoadResult => {
      if (serverErrors(load.statusCodes) > 0 || load.errors > 0)
        throw new Error(
          `${label} load had ${String(load.non2xx)} non-2xx and ${String(load.errors)} errors: ${JSON.stringify(load.statusCodes)}`,
        );
      return load;
    };
    const seconds = DURATION_SECONDS / SERVICE_ROUNDS;
    const actor = { userId: 'bench', role: 'caseworker', orgId };
    /** `connections` loops doing `work` for `seconds`: the rate and latencies of the store alone. */
    const storeLoad = async (
      connections: number,
      work: (connection: number) => Promise<unknown>,
    ): Promise<{ done: number; seconds: number; latency: Latencies }> => {
      const latency = new Latencies();
      const deadline = performance.now() + seconds * 1000;
      let done = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: connections }, async (_, connection) => {
          while (performance.now() < deadline) {
            await latency.time(() => work(connection));
            done += 1;
          }
        }),
      );
      return { done, seconds: (performance.now() - started) / 1000, latency };
    };
    const event = (type: string, data: Record<string, unknown>) => ({
      id: v7(),
      type,
      schemaVersion: 1,
      data: data as JsonObject,
      metadata: {
        occurredAt: new Date().toISOString(),
        actor,
        correlationId: 'bench',
        causationId: 'bench',
      },
    });

    const commands: LoadResult[] = [];
    const appends: { done: number; seconds: number; latency: Latencies }[] = [];
    const queries: LoadResult[] = [];
    const reads: { done: number; seconds: number; latency: Latencies }[] = [];
    const baselineStreams = Array.from({ length: CONNECTIONS }, () => `baseline-${v7()}`);
    const revisions = new Map<string, number>();
    for (let round = 0; round < SERVICE_ROUNDS; round += 1) {
      out(`round ${String(round + 1)}: command, record an indicator observation...`);
      commands.push(
        checked(
          'command',
          await autocannon({
            url: address,
            connections: CONNECTIONS,
            durationSeconds: seconds,
            method: 'POST',
            paths: journeys.map((journeyId) => `/journeys/${journeyId}/indicators`),
            tokens,
            body: {
              indicators: ['WithholdsDocuments', 'DebtBondage'],
              exploitationTypes: ['ForcedLabour'],
              observedByOrgId: orgId,
              notes: 'Seen at the site; passport kept by the employer',
            },
            idempotencyKeys: true,
          }),
        ),
      );
      out(`round ${String(round + 1)}: baseline, the store's single-event appends...`);
      appends.push(
        await storeLoad(CONNECTIONS, async (connection) => {
          const stream = baselineStreams[connection] ?? '';
          const revision = revisions.get(stream);
          const result = await store.append(
            stream,
            [
              event('IndicatorsObserved', {
                indicators: ['WithholdsDocuments'],
                exploitationTypes: [],
                observedByOrgId: orgId,
              }),
            ],
            { expectedRevision: revision ?? 'no_stream' },
          );
          revisions.set(stream, result.revision);
        }),
      );
      out(`round ${String(round + 1)}: query, identification state as a caseworker...`);
      queries.push(
        checked(
          'query',
          await autocannon({
            url: address,
            connections: QUERY_CONNECTIONS,
            durationSeconds: seconds,
            method: 'GET',
            paths: journeys.map((journeyId) => `/journeys/${journeyId}/identification`),
            tokens: [caseworker],
            idempotencyKeys: false,
          }),
        ),
      );
      out(
        `round ${String(round + 1)}: baseline, the same streams read raw and an access record...`,
      );
      let next = 0;
      reads.push(
        await storeLoad(QUERY_CONNECTIONS, async () => {
          const journeyId = journeys[next % journeys.length] ?? '';
          next += 1;
          let events = 0;
          for await (const _event of store.readStream(`identification-${journeyId}`)) events += 1;
          await store.append(`access-bench-${journeyId}`, [
            event('RecordAccessed', { journeyId, events }),
          ]);
        }),
      );
    }

    const rate = (loads: readonly LoadResult[]): number =>
      loads.reduce((sum, load) => sum + load.requestsPerSecond, 0) / loads.length;
    const storeRate = (loads: readonly { done: number; seconds: number }[]): number =>
      loads.reduce((sum, load) => sum + load.done, 0) /
      loads.reduce((sum, load) => sum + load.seconds, 0);
    const median = (values: readonly number[]): number =>
      percentile(
        [...values].sort((a, b) => a - b),
        50,
      );
    const merged = (loads: readonly { latency: Latencies }[]) => {
      const all = new Latencies();
      for (const load of loads) all.absorb(load.latency);
      return all.summary();
    };
    const commandRate = rate(commands);
    const appendRate = storeRate(appends);
    const appendLatency = merged(appends);
    rows.push({
      name: 'record indicator observation (HTTP command, 50 connections)',
      adapter: 'postgres',
      unit: 'req/s',
      value: round(commandRate),
      p50_ms: median(commands.map((load) => load.p50)),
      p99_ms: Math.max(...commands.map((load) => load.p99)),
      baseline: round(appendRate),
      ratio: round(commandRate / appendRate, 3),
      note: `answers ${JSON.stringify(commands.map((load) => load.statusCodes))}; baseline: the store's single-event appends at 50 writers, p50 ${String(round(appendLatency.p50, 2))} ms, p99 ${String(round(appendLatency.p99, 2))} ms; ${String(SERVICE_ROUNDS)} rounds of ${String(seconds)} s, alternating`,
    });
    const queryRate = rate(queries);
    const readRate = storeRate(reads);
    const readLatency = merged(reads);
    const eventsPerJourney = Math.round(
      commands.reduce((sum, load) => sum + load.total, 0) / CONNECTIONS,
    );
    rows.push({
      name: `identification state query (caseworker, decryption + access record, ~${String(eventsPerJourney)} events per journey)`,
      adapter: 'postgres',
      unit: 'req/s',
      value: round(queryRate),
      p50_ms: median(queries.map((load) => load.p50)),
      p99_ms: Math.max(...queries.map((load) => load.p99)),
      baseline: round(readRate),
      ratio: round(queryRate / readRate, 3),
      note: `baseline: the store alone doing the query's storage work at the same concurrency (${String(QUERY_CONNECTIONS)}): read the same journey's stream raw and append one access-record event, p50 ${String(round(readLatency.p50, 2))} ms, p99 ${String(round(readLatency.p99, 2))} ms; ${String(SERVICE_ROUNDS)} rounds, alternating`,
    });
  } finally {
    await app.close();
    await keys.close();
    await store.close();
    await database.drop();
  }
  return rows;
}

/** Median and largest of a few samples. */
function spread(samples: readonly number[]): { median: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), max: sorted.at(-1) ?? Number.NaN };
}

const freePort = (): number => 30_000 + Math.floor(Math.random() * 10_000);

function withoutRecordedAt(metadata: NewEvent['metadata']): NewEvent['metadata'] {
  const { recordedAt: _recordedAt, ...rest } = metadata as NewEvent['metadata'] & {
    recordedAt?: string;
  };
  return rest;
}

/**
 * The same events the demo wrote, appended to a fresh SQLite event store, one append per
 * command (consecutive events of one stream and correlation): the store's share of the work.
 */
async function rawAppendMs(dataDir: string): Promise<{ ms: number; events: number }> {
  const source = new SqliteEventStore({ file: join(dataDir, 'events.sqlite') });
  const batches: { stream: string; events: NewEvent[] }[] = [];
  let events = 0;
  for await (const event of source.readAll()) {
    const last = batches.at(-1);
    const copy: NewEvent = {
      id: event.id,
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: event.data,
      // The store sets the time it recorded the event.
      metadata: withoutRecordedAt(event.metadata),
    };
    if (
      last?.stream === event.stream &&
      last.events[0]?.metadata.correlationId === event.metadata.correlationId
    )
      last.events.push(copy);
    else batches.push({ stream: event.stream, events: [copy] });
    events += 1;
  }
  await source.close();
  const folder = mkdtempSync(join(tmpdir(), 'waypoint-bench-raw-'));
  const target = new SqliteEventStore({ file: join(folder, 'events.sqlite') });
  try {
    const started = performance.now();
    for (const batch of batches) await target.append(batch.stream, batch.events);
    return { ms: performance.now() - started, events };
  } finally {
    await target.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * The embedded process as `pnpm start` runs it, each figure beside a baseline from this run,
 * interleaved round by round: its start and peak memory (VmHWM) against a bare Fastify process
 * under the same launcher; its demo creation rate against the store appending the same events.
 */
async function benchEmbedded(): Promise<Workload[]> {
  const folders: string[] = [];
  const folder = (): string => {
    const made = mkdtempSync(join(tmpdir(), 'waypoint-embedded-'));
    folders.push(made);
    return made;
  };
  const script = startScript(root);
  out(`embedded: \`${script}\` in services/all-in-one, ${String(START_ROUNDS)} rounds`);
  const build = await runStartSteps(root);
  const buildNote =
    build.steps.length === 0
      ? 'no build step'
      : `build step \`${build.steps.join(' && ')}\` run once before, ${String(round2(build.ms / 1000))} s, not in the figure`;
  const bare = { ms: [] as number[], mb: [] as number[] };
  const empty = { ms: [] as number[], mb: [] as number[] };
  const loaded = { ms: [] as number[], mb: [] as number[], warmMb: [] as number[] };
  const oneBare = async (): Promise<void> => {
    const bareProcess = await startBareFastify(root, freePort());
    bare.ms.push(bareProcess.ms);
    bare.mb.push(bareProcess.peakMb());
    await bareProcess.stop();
  };
  try {
    for (let round = 0; round < START_ROUNDS; round += 1) {
      await oneBare();
      const started = await startEmbeddedProcess(root, {
        dataDir: folder(),
        port: freePort(),
        demoJourneys: 0,
      });
      empty.ms.push(started.ms);
      empty.mb.push(started.peakMb());
      await started.stop();
      out(
        `  round ${String(round + 1)}: bare ${String(round2(bare.ms.at(-1)))} ms, embedded ${String(round2(started.ms))} ms`,
      );
    }

    out(`embedded: creating ${String(DEMO_JOURNEYS)} demo journeys (DEMO_JOURNEYS)...`);
    const demoDir = folder();
    const demo = await startEmbeddedProcess(root, {
      dataDir: demoDir,
      port: freePort(),
      demoJourneys: DEMO_JOURNEYS,
    });
    const demoPeakMb = demo.peakMb();
    const demoTree = demo.tree();
    await demo.stop();
    const demoMs = Math.max(1, demo.ms - spread(empty.ms).median);
    out(`  ready after ${String(round2(demo.ms / 1000))} s`);
    out('baseline: the same events appended to a fresh SQLite store...');
    const raw = await rawAppendMs(demoDir);

    for (let round = 0; round < START_ROUNDS; round += 1) {
      await oneBare();
      const port = freePort();
      const started = await startEmbeddedProcess(root, {
        dataDir: demoDir,
        port,
        demoJourneys: DEMO_JOURNEYS,
      });
      loaded.ms.push(started.ms);
      loaded.mb.push(started.peakMb());
      // The first requests build the in-memory views (directory, person index).
      const secrets = JSON.parse(readFileSync(join(demoDir, 'secrets.json'), 'utf8')) as {
        signingKey: { privateJwk: JWK };
      };
      const token = await demoToken(secrets.signingKey.privateJwk, 'caseworker');
      for (const path of [
        '/organisations',
        '/persons?givenName=Nobody&familyName=Known',
        '/journeys?limit=50',
      ]) {
        const response = await fetch(`http://127.0.0.1:${String(port)}${path}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        if (response.status >= 500)
          throw new Error(`GET ${path} answered ${String(response.status)}`);
      }
      loaded.warmMb.push(started.peakMb());
      await started.stop();
    }

    const bareMs = spread(bare.ms);
    const bareMb = spread(bare.mb);
    const row = (
      name: string,
      unit: string,
      samples: readonly number[],
      baseline: number,
      lowerIsBetter: boolean,
      note: string,
      latency: boolean,
    ): Workload => {
      const { median, max } = spread(samples);
      return {
        name,
        adapter: 'sqlite',
        unit,
        value: round2(median),
        p50_ms: latency ? round2(median) : null,
        p99_ms: latency ? round2(max) : null,
        baseline: round2(baseline),
        ratio: round(lowerIsBetter ? baseline / median : median / baseline, 3),
        note,
      };
    };
    const bareNote = `baseline: a bare Fastify process answering /health, started by the same launcher (median of ${String(START_ROUNDS)}, interleaved)`;
    const demoRate = DEMO_JOURNEYS / (demoMs / 1000);
    const rawRate = DEMO_JOURNEYS / (raw.ms / 1000);
    return [
      row(
        'embedded start to first /health 200 (empty data folder)',
        'ms',
        empty.ms,
        bareMs.median,
        true,
        `${bareNote}; \`${script}\`: ${buildNote}`,
        true,
      ),
      row(
        'embedded peak memory at start (VmHWM, empty data folder)',
        'MB',
        empty.mb,
        bareMb.median,
        true,
        `${bareNote}; its VmHWM`,
        false,
      ),
      {
        name: `demo creation (DEMO_JOURNEYS=${String(DEMO_JOURNEYS)})`,
        adapter: 'sqlite',
        unit: 'journeys/s',
        value: round2(demoRate),
        p50_ms: null,
        p99_ms: null,
        baseline: round2(rawRate),
        ratio: round(demoRate / rawRate, 3),
        note: `start to /health ${String(round2(demo.ms / 1000))} s, less the empty start; baseline: the same ${String(raw.events)} events appended to a fresh SQLite store in ${String(round2(raw.ms))} ms, one append per command`,
      },
      {
        name: `embedded peak memory creating ${String(DEMO_JOURNEYS)} demo journeys (VmHWM)`,
        adapter: 'sqlite',
        unit: 'MB',
        value: demoPeakMb,
        p50_ms: null,
        p99_ms: null,
        baseline: round2(bareMb.median),
        ratio: round(bareMb.median / demoPeakMb, 3),
        note: `${bareNote}; process tree ${demoTree.map((entry) => `${entry.name} ${String(entry.hwmMb)} MB`).join(', ')}; goal < 300 MB`,
      },
      row(
        `embedded restart to /health with ${String(DEMO_JOURNEYS)} demo journeys`,
        'ms',
        loaded.ms,
        bareMs.median,
        true,
        bareNote,
        true,
      ),
      row(
        `embedded peak memory after first requests with ${String(DEMO_JOURNEYS)} journeys (VmHWM)`,
        'MB',
        loaded.warmMb,
        bareMb.median,
        true,
        `${bareNote}; its VmHWM`,
        false,
      ),
    ];
  } finally {
    for (const made of folders) rmSync(made, { recursive: true, force: true });
  }
}

export async function run({ adapters }: { adapters: string[] | null }): Promise<void> {
  const wanted = (name: string): boolean => adapters === null || adapters.includes(name);
  const workloads = [
    ...(wanted('postgres') ? await benchService() : []),
    ...(wanted('sqlite') ? await benchEmbedded() : []),
  ];
  writeResult(
    {
      suite: 'http',
      workloads,
      peak_rss_mb: processPeakRssMb(),
      machine: { cpus: (await import('node:os')).availableParallelism(), node: process.version },
      at: new Date().toISOString(),
    },
    out,
  );
}
