import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PostgresEventStore } from '@waypoint/eventstore/postgres';
import { createTestDatabase, type TestDatabase } from '@waypoint/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { incidentRecorded } from '../test-support/events.js';
import { uniqueName } from '../test-support/kafka.js';

/**
 * The relay and a consumer, in a child process, killed with SIGKILL while batches are in flight
 * (published but not checkpointed, delivered but not committed), then started again: the read
 * side ends with the effect of every event exactly once, each journey in revision order. What
 * makes it hold: the relay's checkpoint in PostgreSQL (it republishes from there: at least once)
 * and the read side's event-id table in the effect's own transaction (at most once).
 */
const { postgresAdminUrl, kafkaBrokers } = inject('services');
const here = dirname(fileURLToPath(import.meta.url));

const STREAMS = 20;
const FIRST_WAVE_PER_STREAM = 25;
const SECOND_WAVE_PER_STREAM = 5;
/** Kill once the read side has committed this many, well before the first wave's 500. */
const KILL_AFTER = 100;
const DEADLINE_MS = 45_000;

interface Running {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  /** Resolves with the read side's count once it reaches `count`. */
  delivered(count: number): Promise<number>;
  /** Events the read side received so far, duplicates included. */
  latest(): number;
}

function start(plan: Record<string, unknown>): Running {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@waypoint/source',
      '--import',
      'tsx',
      join(here, 'fixtures', 'relay-and-consume.ts'),
      JSON.stringify(plan),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  let latest = 0;
  const waiters: { count: number; resolve: (n: number) => void }[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const match = /^delivered (\d+)$/.exec(line);
    if (!match) return;
    latest = Number(match[1]);
    for (const waiter of waiters.splice(0))
      if (latest >= waiter.count) waiter.resolve(latest);
      else waiters.push(waiter);
  });
  return {
    child,
    exited,
    latest: () => latest,
    delivered: (count) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`the child delivered ${String(latest)} of ${String(count)} in time`));
        }, DEADLINE_MS);
        waiters.push({
          count,
          resolve: (n) => {
            clearTimeout(timer);
            resolve(n);
          },
        });
        void exited.then(() => {
          clearTimeout(timer);
          reject(new Error('the child exited'));
        });
      }),
  };
}

async function kill(running: Running): Promise<void> {
  running.child.kill('SIGKILL');
  await running.exited;
}

describe.skipIf(!postgresAdminUrl || !kafkaBrokers)('relay and consumer killed mid-batch', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let pool: pg.Pool;
  beforeAll(async () => {
    database = await createTestDatabase(postgresAdminUrl ?? '', 'wp_bus_crash');
    store = await PostgresEventStore.open({ connectionString: database.url, poolSize: 4 });
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
    pool.on('error', () => undefined);
  });
  afterAll(async () => {
    await pool.end();
    await store.close();
    await database.drop();
  });

  const effects = async () =>
    (
      await pool.query<{ event_id: string; stream: string; revision: number }>(
        'SELECT event_id, stream, revision FROM effects ORDER BY seq',
      )
    ).rows;

  it('applies every event exactly once after a SIGKILL and a restart', async () => {
    const name = uniqueName('crash');
    const category = name.replace('-', '_');
    const plan = {
      databaseUrl: database.url,
      brokers: kafkaBrokers,
      topic: `waypoint.${name}.v1`,
      category,
      groupId: `${name}.read-model`,
    };
    const streams = Array.from({ length: STREAMS }, () => `${category}-${randomUUID()}`);
    const appended: string[] = [];
    const appendWave = async (perStream: number): Promise<void> => {
      for (let round = 0; round < perStream; round += 1)
        await Promise.all(
          streams.map(async (stream) => {
            const event = incidentRecorded();
            appended.push(event.id);
            await store.append(stream, [event]);
          }),
        );
    };
    await appendWave(FIRST_WAVE_PER_STREAM);

    const first = start(plan);
    await first.delivered(KILL_AFTER);
    await kill(first);
    const atKill = (await effects()).length;
    // Killed part way: the restart has work left, and some of it was in flight.
    expect(atKill).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(atKill).toBeLessThan(STREAMS * FIRST_WAVE_PER_STREAM);

    // Events written while nothing relays them.
    await appendWave(SECOND_WAVE_PER_STREAM);
    const second = start(plan);
    try {
      const deadline = Date.now() + DEADLINE_MS;
      while ((await effects()).length < appended.length && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 200));
      // Anything delivered twice would show up as a second row by now.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    } finally {
      await kill(second);
    }

    // At least once: the restart received everything the first run had not committed.
    expect(second.latest()).toBeGreaterThanOrEqual(appended.length - atKill);
    const rows = await effects();
    expect(rows.length, 'one effect per event').toBe(appended.length);
    expect(new Set(rows.map((row) => row.event_id))).toEqual(new Set(appended));
    const next = new Map<string, number>();
    for (const row of rows) {
      expect(row.revision, `${row.stream} in revision order`).toBe(next.get(row.stream) ?? 0);
      next.set(row.stream, row.revision + 1);
    }
  });
});
