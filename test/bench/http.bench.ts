/**
 * `pnpm bench http`: the identification service over HTTP on the PostgreSQL store, in one run.
 *
 * - command throughput and latency: recording an indicator observation on an existing journey,
 *   50 connections (one journey each), ES256 tokens, an Idempotency-Key per request, autocannon in
 *   its own process;
 * - the baseline: the store's own single-event append rate at the same concurrency;
 * - the identification-state query as a caseworker (decryption and the access record included);
 * - the embedded process: time to answer /health and resident memory with 1,000 demo journeys.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PostgresEventStore } from '@waypoint/eventstore/postgres';
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
import { Latencies, processPeakRssMb, round, writeResult, type Workload } from './report.js';

const CONNECTIONS = 50;
const DURATION_SECONDS = 10;
const EMBEDDED_JOURNEYS = 1_000;
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

    out('command: record an indicator observation...');
    const command = await autocannon({
      url: address,
      connections: CONNECTIONS,
      durationSeconds: DURATION_SECONDS,
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
    });
    const serverErrors = (counts: Record<string, { count: number }>): number =>
      Object.entries(counts)
        .filter(([status]) => status.startsWith('5'))
        .reduce((sum, [, { count }]) => sum + count, 0);
    if (serverErrors(command.statusCodes) > 0 || command.errors > 0)
      throw new Error(
        `command load had ${String(command.non2xx)} non-2xx and ${String(command.errors)} errors: ${JSON.stringify(command.statusCodes)}`,
      );

    out('baseline: the store alone, single-event appends at the same concurrency...');
    const appendLatency = new Latencies();
    const deadline = performance.now() + DURATION_SECONDS * 1000;
    let appended = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async (_, writer) => {
        const stream = `baseline-${v7()}`;
        let revision: number | undefined;
        while (performance.now() < deadline) {
          const result = await appendLatency.time(() =>
            store.append(
              stream,
              [
                {
                  id: v7(),
                  type: 'IndicatorsObserved',
                  schemaVersion: 1,
                  data: {
                    indicators: ['WithholdsDocuments'],
                    exploitationTypes: [],
                    observedByOrgId: orgId,
                    writer,
                  },
                  metadata: {
                    occurredAt: new Date().toISOString(),
                    actor: { userId: 'bench', role: 'caseworker', orgId },
                    correlationId: 'bench',
                    causationId: 'bench',
                  },
                },
              ],
              { expectedRevision: revision ?? 'no_stream' },
            ),
          );
          revision = result.revision;
          appended += 1;
        }
      }),
    );
    const appendRate = appended / ((performance.now() - started) / 1000);
    const baseline = appendLatency.summary();
    rows.push({
      name: 'record indicator observation (HTTP command, 50 connections)',
      adapter: 'postgres',
      unit: 'req/s',
      value: round(command.requestsPerSecond),
      p50_ms: command.p50,
      p99_ms: command.p99,
      baseline: round(appendRate),
      ratio: round(command.requestsPerSecond / appendRate, 3),
      note: `answers ${JSON.stringify(command.statusCodes)}; baseline: store single-event appends at 50 writers, p50 ${String(round(baseline.p50, 2))} ms, p99 ${String(round(baseline.p99, 2))} ms`,
    });

    out('query: identification state as a caseworker...');
    const query = await autocannon({
      url: address,
      connections: 10,
      durationSeconds: DURATION_SECONDS,
      method: 'GET',
      paths: journeys.map((journeyId) => `/journeys/${journeyId}/identification`),
      tokens: [caseworker],
      idempotencyKeys: false,
    });
    if (serverErrors(query.statusCodes) > 0 || query.errors > 0)
      throw new Error(
        `query load had ${String(query.non2xx)} non-2xx and ${String(query.errors)} errors: ${JSON.stringify(query.statusCodes)}`,
      );
    const eventsPerJourney = Math.round(command.total / CONNECTIONS);
    rows.push({
      name: `identification state query (caseworker, decryption + access record, ~${String(eventsPerJourney)} events per journey)`,
      adapter: 'postgres',
      unit: 'req/s',
      value: round(query.requestsPerSecond),
      p50_ms: query.p50,
      p99_ms: query.p99,
      baseline: round(command.requestsPerSecond),
      ratio: round(query.requestsPerSecond / command.requestsPerSecond, 3),
      note: 'baseline: the command rate above (reads fold the whole stream and write an access record)',
    });
  } finally {
    await app.close();
    await keys.close();
    await store.close();
    await database.drop();
  }
  return rows;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return round(kb / 1024);
}

/** Starts the embedded process, waits for /health, returns how long that took and its memory. */
async function startEmbedded(
  dataDir: string,
  port: number,
  journeys: number,
): Promise<{ ms: number; pid: number; stop: () => Promise<void> }> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'services', 'all-in-one', 'src', 'main.ts')],
    {
      cwd: root,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: String(port),
        DEMO_JOURNEYS: String(journeys),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  for (;;) {
    if (child.exitCode !== null) throw new Error('the embedded process exited before it answered');
    try {
      const response = await fetch(`http://127.0.0.1:${String(port)}/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const ms = performance.now() - started;
  return {
    ms,
    pid: child.pid ?? 0,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function benchEmbedded(): Promise<Workload[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'waypoint-embedded-'));
  const port = 30_000 + Math.floor(Math.random() * 10_000);
  try {
    out(`embedded: first start, seeding ${String(EMBEDDED_JOURNEYS)} demo journeys (not timed)...`);
    const seeding = await startEmbedded(dataDir, port, EMBEDDED_JOURNEYS);
    out(`  seeded in ${String(round(seeding.ms / 1000, 1))} s`);
    await seeding.stop();
    out('embedded: start with the journeys loaded...');
    const loaded = await startEmbedded(dataDir, port, EMBEDDED_JOURNEYS);
    // Build the in-memory views (directory, person index) as the first requests would, then measure.
    const secrets = JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as {
      signingKey: { privateJwk: JWK };
    };
    const token = await demoToken(secrets.signingKey.privateJwk, 'caseworker');
    for (const path of ['/organisations', '/persons?givenName=Nobody&familyName=Known']) {
      const response = await fetch(`http://127.0.0.1:${String(port)}${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (!response.ok) throw new Error(`GET ${path} answered ${String(response.status)}`);
    }
    const rss = rssMb(loaded.pid);
    await loaded.stop();
    return [
      {
        name: `embedded start to /health with ${String(EMBEDDED_JOURNEYS)} demo journeys`,
        adapter: 'sqlite',
        unit: 'ms',
        value: round(loaded.ms),
        p50_ms: null,
        p99_ms: null,
        baseline: 10_000,
        ratio: round(10_000 / loaded.ms, 3),
        peak_rss_mb: rss,
        note: `baseline: the 10 s budget; resident memory after start ${String(rss)} MB (budget 300 MB)`,
      },
    ];
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
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
