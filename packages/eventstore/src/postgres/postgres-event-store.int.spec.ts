import { createTestDatabase, type TestDatabase } from '@waypoint/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventStoreContract, testEvent, uniqueStream } from '../contract/index.js';
import type { EventStore } from '../types.js';
import { MIGRATIONS } from './migrations.js';
import { PostgresEventStore } from './postgres-event-store.js';

const { postgresAdminUrl } = inject('services');

describe.skipIf(!postgresAdminUrl)('PostgresEventStore', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(postgresAdminUrl ?? '');
  });
  afterAll(async () => {
    await database.drop();
  });

  async function superuser<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  eventStoreContract('PostgresEventStore', {
    open: () => PostgresEventStore.open({ connectionString: database.url }),
    tamper: async (store: EventStore, stream: string, revision: number) => {
      await superuser(async (client) => {
        await client.query('ALTER TABLE wp_events DISABLE TRIGGER wp_events_no_update_or_delete');
        await client.query(
          `UPDATE wp_events SET data = data || '{"tampered": true}' WHERE stream = $1 AND revision = $2`,
          [stream, revision],
        );
        await client.query('ALTER TABLE wp_events ENABLE TRIGGER wp_events_no_update_or_delete');
      });
      return store;
    },
    propertyRuns: 30,
  });

  it('refuses UPDATE, DELETE and TRUNCATE of stored events', async () => {
    const store = await PostgresEventStore.open({ connectionString: database.url });
    await store.append(uniqueStream(), [testEvent()]);
    await store.close();
    await superuser(async (client) => {
      await expect(client.query("UPDATE wp_events SET type = 'Other'")).rejects.toThrow(
        /append-only/,
      );
      await expect(client.query('DELETE FROM wp_events')).rejects.toThrow(/append-only/);
      await expect(client.query('TRUNCATE wp_events')).rejects.toThrow(/append-only/);
    });
  });

  it('applies its migrations once when several processes start at the same time', async () => {
    const fresh = await createTestDatabase(postgresAdminUrl ?? '');
    try {
      const stores = await Promise.all(
        Array.from({ length: 6 }, () =>
          PostgresEventStore.open({ connectionString: fresh.url, poolSize: 2 }),
        ),
      );
      await Promise.all(stores.map((store) => store.close()));
      const rows = await (async () => {
        const client = new pg.Client({ connectionString: fresh.url });
        await client.connect();
        try {
          return (
            await client.query<{ version: number }>(
              'SELECT version FROM wp_schema_migrations ORDER BY version',
            )
          ).rows;
        } finally {
          await client.end();
        }
      })();
      expect(rows.map((row) => row.version)).toEqual(
        MIGRATIONS.map((migration) => migration.version),
      );
    } finally {
      await fresh.drop();
    }
  });

  it('appends inside a caller transaction commit together, and a rollback leaves nothing', async () => {
    const store = await PostgresEventStore.open({ connectionString: database.url });
    try {
      const a = uniqueStream();
      const b = uniqueStream();
      await store.transaction(async (tx) => {
        await tx.append(a, [testEvent()]);
        await tx.append(b, [testEvent()]);
      });
      expect([await store.streamRevision(a), await store.streamRevision(b)]).toEqual([0, 0]);
      const c = uniqueStream();
      await expect(
        store.transaction(async (tx) => {
          await tx.append(c, [testEvent()]);
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect(await store.streamRevision(c)).toBeNull();
    } finally {
      await store.close();
    }
  });

  it('wakes a subscriber in another process through LISTEN/NOTIFY', async () => {
    const writer = await PostgresEventStore.open({ connectionString: database.url });
    const reader = await PostgresEventStore.open({ connectionString: database.url });
    try {
      const category = `notify${String(Date.now())}`;
      const seen: string[] = [];
      let arrived: () => void = () => undefined;
      const delivered = new Promise<void>((resolve) => {
        arrived = resolve;
      });
      // A poll interval far longer than the test: only a notification can deliver in time.
      const subscription = reader.subscribe(
        { filter: { categories: [category] }, pollIntervalMs: 60_000 },
        (batch) => {
          seen.push(...batch.events.map((event) => event.id));
          if (seen.length > 0) arrived();
        },
      );
      await subscription.whenCaughtUp();
      const event = testEvent();
      await writer.append(`${category}-1`, [event]);
      await delivered;
      expect(seen).toEqual([event.id]);
      await subscription.stop();
    } finally {
      await writer.close();
      await reader.close();
    }
  });
});
