import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { eventStoreContract, testEvent, testEvents, uniqueStream } from '../contract/index.js';
import { newEventId } from '../event-id.js';
import type { EventStore } from '../types.js';
import { EsdbEventStore } from './esdb-event-store.js';
import { findKurrentDb } from './testing/find-kurrentdb.js';

// KurrentDB is optional everywhere, also under WAYPOINT_REQUIRE_SERVICES=1: no server is a skip.
const service = await findKurrentDb();
if ('missing' in service) {
  process.stdout.write(`[waypoint] skipping KurrentDB tests: ${service.missing}\n`);
}
const url = 'missing' in service ? '' : service.url;
vi.setConfig({ testTimeout: 300_000, hookTimeout: 120_000 });

/** A prefix per store, so that runs against a long-lived ESDB_URL server never meet. */
const freshPrefix = (): string =>
  `t${newEventId()
    .slice(-12)
    .replace(/[^a-z0-9]/g, '')}.`;

describe.skipIf('missing' in service)('EsdbEventStore', () => {
  afterAll(async () => {
    if (!('missing' in service)) await service.stop();
  });

  eventStoreContract('EsdbEventStore', {
    open: () => EsdbEventStore.open({ connectionString: url, streamPrefix: freshPrefix() }),
    // Events on the server are immutable: a tampered copy of the stream, written with a raw
    // client under another prefix, stands in for storage edited behind the store's back.
    tamper: async (store: EventStore, stream: string, revision: number) => {
      const raw = EventStoreDBClient.connectionString(url);
      const prefix = freshPrefix();
      try {
        const source = (store as unknown as { naming: { toServer(s: string): string } }).naming;
        const stored = [];
        for await (const resolved of raw.readStream(source.toServer(stream))) {
          if (resolved.event) stored.push(resolved.event);
        }
        await raw.appendToStream(
          `${prefix}${stream}`,
          stored.map((event, index) =>
            jsonEvent({
              id: event.id,
              type: event.type,
              data:
                index === revision
                  ? { ...(event.data as Record<string, unknown>), tampered: true }
                  : (event.data as Record<string, unknown>),
              metadata: event.metadata as Record<string, unknown>,
            }),
          ),
        );
      } finally {
        await raw.dispose();
      }
      await store.close();
      return await EsdbEventStore.open({ connectionString: url, streamPrefix: prefix });
    },
    propertyRuns: 15,
  });

  it('takes over the claim of an append that never landed, so a retry still goes through', async () => {
    const prefix = freshPrefix();
    const store = await EsdbEventStore.open({ connectionString: url, streamPrefix: prefix });
    const raw = EventStoreDBClient.connectionString(url);
    try {
      const stream = uniqueStream();
      const [event] = testEvents(1);
      if (!event) throw new Error('no event');
      // What a writer that died between claiming and appending leaves behind.
      await raw.appendToStream(
        `${prefix}_wp_eventid-${event.id}`,
        jsonEvent({ type: 'EventIdClaimed', data: { stream, revision: 0 } }),
      );
      await expect(
        store.append(stream, [event], { expectedRevision: 'no_stream' }),
      ).resolves.toMatchObject({ revision: 0, replayed: false });
      await expect(
        store.append(stream, [event], { expectedRevision: 'no_stream' }),
      ).resolves.toMatchObject({ revision: 0, replayed: true });
    } finally {
      await raw.dispose();
      await store.close();
    }
  });

  it('keeps the chain whole when writers with expected revision any race on one stream', async () => {
    const store = await EsdbEventStore.open({ connectionString: url, streamPrefix: freshPrefix() });
    try {
      const stream = uniqueStream();
      const results = await Promise.all(
        Array.from({ length: 12 }, () => store.append(stream, [testEvent('Raced')])),
      );
      expect(results.map((result) => result.revision).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 12 }, (_, index) => index),
      );
      await expect(store.verifyStream(stream)).resolves.toMatchObject({ ok: true, events: 12 });
    } finally {
      await store.close();
    }
  });
});
