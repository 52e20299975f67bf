import { createTestDatabase, type TestDatabase } from '@waypoint/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { testEvent } from '../contract/index.js';
import type { RecordedEvent } from '@waypoint/contracts';
import { PostgresEventStore } from './postgres-event-store.js';

/**
 * The bug peers shipped for years: a reader of the global log steps past an event whose
 * transaction commits late, and never sees it. Here 16 writers commit and roll back at random
 * while one transaction stays open for seconds; a subscriber following the log from the start
 * must receive every committed event exactly once, no aborted one, each stream in revision order.
 *
 * Every choice (streams, event counts, rollbacks, pauses) comes from a seeded generator, so a
 * failing seed replays its workload (`CHAOS_SEEDS=7,8 pnpm test:chaos`); the interleaving is the
 * machine's. A floor on committed transactions keeps a run where commits fail from passing, and
 * every wait is bounded.
 *
 * It runs alone (the `chaos` project): PostgreSQL's snapshot xmin is cluster-wide, so the long
 * transaction would stall subscribers in every other test database too.
 */
const { postgresAdminUrl } = inject('services');

const WRITERS = 16;
const TRANSACTIONS_PER_WRITER = 25;
const STREAMS = 40;
const ROLLBACK_RATE = 0.25;
const LONG_TRANSACTION_MS = 3_000;
/** How long the subscriber may take to deliver everything once the writers are done. */
const DELIVERY_DEADLINE_MS = 30_000;
/** What PostgreSQL may still refuse after the store's own retries: serialisation, deadlock. */
const RETRYABLE = new Set(['40001', '40P01']);
const SEEDS = (process.env.CHAOS_SEEDS ?? '1,2,3')
  .split(',')
  .map((seed) => Number.parseInt(seed, 10))
  .filter((seed) => Number.isInteger(seed));

class Rollback extends Error {}

/** mulberry32: a small seeded generator of floats in [0, 1). */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const pause = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

interface Tally {
  readonly committed: Set<string>;
  readonly aborted: Set<string>;
  committedTransactions: number;
  requestedRollbacks: number;
  /** Errors of transactions meant to commit, by PostgreSQL code or name. */
  readonly refusals: string[];
}

describe.skipIf(!postgresAdminUrl)('global ordering under concurrent writers (PostgreSQL)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(postgresAdminUrl ?? '', 'wp_chaos');
  });
  afterAll(async () => {
    await database.drop();
  });

  it('runs at least one seed', () => {
    expect(SEEDS.length).toBeGreaterThan(0);
  });

  it.each(SEEDS)(
    'seed %i: a subscriber from the start receives every committed event exactly once, in stream order',
    async (seed) => {
      const random = seeded(seed);
      const writer = await PostgresEventStore.open({
        connectionString: database.url,
        poolSize: WRITERS + 2,
      });
      const reader = await PostgresEventStore.open({
        connectionString: database.url,
        poolSize: 2,
      });
      const tally: Tally = {
        committed: new Set(),
        aborted: new Set(),
        committedTransactions: 0,
        requestedRollbacks: 0,
        refusals: [],
      };
      const run = `${String(seed)}-${Date.now().toString(36)}`;
      // The seeds share one database: each follows the log from the start, keeping its own events.
      const received: RecordedEvent[] = [];
      const subscription = reader.subscribe({ batchSize: 100, pollIntervalMs: 50 }, (batch) => {
        received.push(...batch.events.filter((event) => event.stream.startsWith(`chaos-${run}-`)));
      });
      const streamName = (index: number): string => `chaos-${run}-${String(index)}`;

      // The workload is drawn up front, so the seed alone decides it whatever the interleaving.
      const plans = Array.from({ length: WRITERS }, () =>
        Array.from({ length: TRANSACTIONS_PER_WRITER }, () => ({
          streams: [
            ...new Set(
              Array.from({ length: 1 + Math.floor(random() * 3) }, () =>
                Math.floor(random() * STREAMS),
              ),
            ),
          ]
            .sort((a, b) => a - b)
            .map((stream) => ({
              stream,
              events: 1 + Math.floor(random() * 3),
              pauseMs: random() * 15,
            })),
          rollBack: random() < ROLLBACK_RATE,
        })),
      );

      try {
        const long = writer.transaction(async (tx) => {
          const event = testEvent('HeldOpen');
          await tx.append(`chaos-${run}-long`, [event]);
          await pause(LONG_TRANSACTION_MS);
          return [event.id];
        });

        const writers = plans.map(async (plan) => {
          for (const { streams, rollBack } of plan) {
            // Ids of the attempt that committed; a retried attempt's ids are aborted ones.
            let ids: string[] = [];
            if (rollBack) tally.requestedRollbacks += 1;
            try {
              await writer.transaction(async (tx) => {
                for (const id of ids) tally.aborted.add(id);
                ids = [];
                for (const { stream, events: count, pauseMs } of streams) {
                  const events = Array.from({ length: count }, () => testEvent('Chaos'));
                  ids.push(...events.map((event) => event.id));
                  await tx.append(streamName(stream), events);
                  await pause(pauseMs);
                }
                if (rollBack) throw new Rollback();
              });
              for (const id of ids) tally.committed.add(id);
              tally.committedTransactions += 1;
            } catch (error) {
              // Nothing of an aborted transaction may ever be read.
              for (const id of ids) tally.aborted.add(id);
              if (error instanceof Rollback) continue;
              if (error instanceof pg.DatabaseError && rollBack) continue;
              tally.refusals.push(
                error instanceof pg.DatabaseError
                  ? `PostgreSQL ${String(error.code)}`
                  : error instanceof Error
                    ? `${error.name}: ${error.message}`
                    : String(error),
              );
            }
          }
        });

        await Promise.all(writers);
        for (const id of await long) tally.committed.add(id);

        // Bounded: a subscriber that stops delivering fails the test rather than hanging it.
        const deadline = Date.now() + DELIVERY_DEADLINE_MS;
        while (received.length < tally.committed.size && Date.now() < deadline) {
          await Promise.race([subscription.whenCaughtUp(), pause(1_000)]);
        }
        await Promise.race([subscription.whenCaughtUp(), pause(1_000)]);

        const attempts = WRITERS * TRANSACTIONS_PER_WRITER;
        const meantToCommit = attempts - tally.requestedRollbacks;
        // Only PostgreSQL's own retryable refusals may stop a transaction that meant to commit,
        // and they are rare: a run in which commits fail cannot pass.
        expect(
          tally.refusals.filter((refusal) => !RETRYABLE.has(refusal.replace('PostgreSQL ', ''))),
          'no refusal other than a retryable one',
        ).toEqual([]);
        expect(tally.committedTransactions, 'committed transactions').toBe(
          meantToCommit - tally.refusals.length,
        );
        expect(tally.committedTransactions).toBeGreaterThanOrEqual(Math.ceil(meantToCommit * 0.95));
        expect(tally.committedTransactions, 'most of the workload commits').toBeGreaterThanOrEqual(
          attempts / 2,
        );
        expect(tally.requestedRollbacks, 'the run rolled some transactions back').toBeGreaterThan(
          0,
        );

        const receivedIds = received.map((event) => event.id);
        expect(new Set(receivedIds).size, 'no event delivered twice').toBe(receivedIds.length);
        expect(
          receivedIds.filter((id) => tally.aborted.has(id)),
          'no aborted event delivered',
        ).toEqual([]);
        expect(new Set(receivedIds), 'every committed event delivered').toEqual(tally.committed);

        const nextRevision = new Map<string, number>();
        for (const event of received) {
          expect(event.revision, `${event.stream} in revision order`).toBe(
            nextRevision.get(event.stream) ?? 0,
          );
          nextRevision.set(event.stream, event.revision + 1);
        }
        const positions = received.map((event) => event.position);
        expect([...positions].sort(), 'positions strictly increase').toEqual(positions);
      } finally {
        await subscription.stop();
        await reader.close();
        await writer.close();
      }
    },
    60_000,
  );
});
