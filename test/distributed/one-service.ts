import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testAuth, type TestAuth } from '@waypoint/service-kit/testing';
import { processConnections } from '@waypoint/runtime';
import { createTestDatabase, reserveConnections, type TestDatabase } from '@waypoint/testing';

/**
 * What one service of the distributed mode needs from its environment, on two fresh databases
 * (its own, and the key store's): for tests that start a single service, in this process or as a
 * child process running its `main.ts`.
 */
export interface OneServiceWorld {
  readonly env: Record<string, string>;
  readonly service: TestDatabase;
  readonly keys: TestDatabase;
  readonly auth: TestAuth;
  readonly folder: string;
  drop(): Promise<void>;
}

/** The pools of a service these tests start (DATABASE_POOL_SIZE). */
const POOL_SIZE = 2;

export async function oneServiceWorld(options: {
  readonly postgresAdminUrl: string;
  readonly kafkaBrokers: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** How many processes of the service the test runs at once. Default 1. */
  readonly processes?: number;
}): Promise<OneServiceWorld> {
  // Every process at its most (a write service with a store-fed read model), and three for the
  // test itself: the reservation, a database being created, a client of its own.
  const reservation = await reserveConnections(
    options.postgresAdminUrl,
    (options.processes ?? 1) *
      processConnections(POOL_SIZE, { kafka: true, projections: 'own-store' }) +
      3,
  );
  const service = await createTestDatabase(options.postgresAdminUrl, 'wp_one');
  const keys = await createTestDatabase(options.postgresAdminUrl, 'wp_one_keys');
  const auth = await testAuth();
  const folder = mkdtempSync(join(tmpdir(), 'waypoint-one-'));
  return {
    env: {
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      AUTH_PUBLIC_JWK: JSON.stringify(auth.publicJwk),
      AUTH_ISSUER: auth.issuer,
      AUTH_AUDIENCE: auth.audience,
      EVENT_STORE_URL: service.url,
      READ_MODEL_DATABASE_URL: service.url,
      KEY_STORE_DATABASE_URL: keys.url,
      MASTER_KEY: `test-1:${randomBytes(32).toString('base64')}`,
      KAFKA_BROKERS: options.kafkaBrokers.join(','),
      ERASURE_INTERVAL_MS: '0',
      DATABASE_POOL_SIZE: String(POOL_SIZE),
      ...options.env,
    },
    service,
    keys,
    auth,
    folder,
    drop: async () => {
      await Promise.all([service.drop(), keys.drop()]);
      rmSync(folder, { recursive: true, force: true });
      await reservation.release();
    },
  };
}

/** A service's `main.ts` in a child process of its own, as a deployment runs it. */
export interface ServiceProcess {
  readonly child: ChildProcess;
  /** Resolves with the address once the process logged it. */
  readonly address: Promise<string>;
  /** Resolves with the exit code or signal. */
  readonly exited: Promise<string>;
  output(): string;
}

export function startServiceProcess(
  mainFile: string,
  env: Readonly<Record<string, string>>,
): ServiceProcess {
  const child = spawn(
    process.execPath,
    ['--conditions=@waypoint/source', '--import', 'tsx', mainFile],
    { env: { ...process.env, ...env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const address = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /is listening on (http:\/\/[\d.]+:\d+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => {
      reject(
        new Error(`the service exited (${String(code ?? signal)}) before listening:\n${output}`),
      );
    });
  });
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve(String(code ?? signal));
    });
  });
  // Never outlive the test run.
  const kill = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', kill);
  void exited.then(() => process.off('exit', kill));
  return { child, address, exited, output: () => output };
}

/** Polls `url` until `accept` holds for its answer; resolves with the time it took, in ms. */
export async function timeUntil(
  url: string,
  accept: (status: number) => boolean,
  timeoutMs: number,
): Promise<number> {
  const started = performance.now();
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (accept(response.status)) return performance.now() - started;
    } catch {
      // Not listening yet, or no answer in time: poll again.
    }
    if (performance.now() - started > timeoutMs)
      throw new Error(`${url} did not answer as expected within ${String(timeoutMs)} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
