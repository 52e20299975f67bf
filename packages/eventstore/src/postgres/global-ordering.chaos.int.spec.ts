import { createTestDatabase, type TestDatabase } from '@waypoint/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { testEvent } from '../contract/index.js';
import type { RecordedEvent } from '../types.js';
import { PostgresEventStore } from './postgres-event-store.js';

/**
 * The bug peers shipped for years: a reader of the global log steps past an event whose
 * transaction commits late, and never sees it. Here 16 writers commit and roll back at random
 * while one transaction stays open for seconds; a subscriber following the log from the start
 * must receive every committed event exactly once, no aborted one, each stream in revision order.
 *
 * It runs alone (the `chaos` project): PostgreSQL's snapshot xmin is cluster-wide, so the long
 * transaction would stall subscribers in every other test database too.
 */
const { postgresAdminUrl } = inject('services');

const WRITERS = 16;
const TRANSACTIONS_PER_WRITER = 25;
const STREAMS = 40;
const LONG_TRANSACTION_MS = 4_000;

class Rollback extends Error {}

const pause = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

describe.skipIf(!postgresAdminUrl)('global ordering under concurrent writers (PostgreSQL)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(postgresAdminUrl ?? '', 'wp_chaos');
  });
  afterAll(async () => {
    await database.drop();
  });

  it('a subscriber from the start receives every committed event exactly once, in stream order', async () => {
    const writer = await PostgresEventStore.open({
      connectionString: database.url,
      poolSize: WRITERS + 2,
    });
    const reader = await PostgresEventStore.open({ connectionString: database.url, poolSize: 2 });
    const committed = new Set<string>();
    const aborted = new Set<string>();
    const received: RecordedEvent[] = [];
    const subscription = reader.subscribe({ batchSize: 100, pollIntervalMs: 50 }, (batch) => {
      received.push(...batch.events);
    });
    const run = Date.now().toString(36);
    const streamName = (index: number): string => `chaos-${run}-${String(index)}`;

    try {
      const long = writer.transaction(async (tx) => {
        const event = testEvent('HeldOpen');
        await tx.append(`chaos-${run}-long`, [event]);
        await pause(LONG_TRANSACTION_MS);
        return [event.id];
      });

      const writers = Array.from({ length: WRITERS }, async () => {
        for (let round = 0; round < TRANSACTIONS_PER_WRITER; round += 1) {
          const streams = [
            ...new Set(
              Array.from({ length: 1 + Math.floor(Math.random() * 3) }, () =>
                Math.floor(Math.random() * STREAMS),
              ),
            ),
          ].sort((a, b) => a - b);
          // Ids of the attempt that committed; a retried attempt's ids are aborted ones.
          let ids: string[] = [];
          const rollBack = Math.random() < 0.25;
          try {
            await writer.transaction(async (tx) => {
              for (const id of ids) aborted.add(id);
              ids = [];
              for (const stream of streams) {
                const events = Array.from({ length: 1 + Math.floor(Math.random() * 3) }, () =>
                  testEvent('Chaos'),
                );
                ids.push(...events.map((event) => event.id));
                await tx.append(streamName(stream), events);
                await pause(Math.random() * 15);
              }
              if (rollBack) throw new Rollback();
            });
            for (const id of ids) committed.add(id);
          } catch (error) {
            // A rollback we asked for, or one PostgreSQL chose (lock timeout, deadlock): either way
            // nothing of this transaction may ever be read.
            if (!(error instanceof Rollback) && !(error instanceof Error)) throw error;
            for (const id of ids) aborted.add(id);
          }
        }
      });

      await Promise.all(writers);
      for (const id of await long) committed.add(id);

      while (received.length < committed.size) await subscription.whenCaughtUp();
      await subscription.whenCaughtUp();

      const receivedIds = received.map((event) => event.id);
      expect(new Set(receivedIds).size, 'no event delivered twice').toBe(receivedIds.length);
      expect(
        receivedIds.filter((id) => aborted.has(id)),
        'no aborted event delivered',
      ).toEqual([]);
      expect(new Set(receivedIds), 'every committed event delivered').toEqual(committed);
      expect(aborted.size, 'the run rolled some transactions back').toBeGreaterThan(0);

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
  });
});
