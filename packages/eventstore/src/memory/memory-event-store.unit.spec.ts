import { describe, expect, it } from 'vitest';
import { newEventId } from '../event-id.js';
import { eventStoreContract } from '../contract/index.js';
import type { RecordedEvent } from '@waypoint/contracts';
import type { EventStore } from '../types.js';
import { MemoryEventStore } from './memory-event-store.js';

eventStoreContract('MemoryEventStore', {
  open: () => Promise.resolve(new MemoryEventStore()),
  tamper: (store: EventStore, stream: string, revision: number) => {
    // The memory store hands out copies; reach into its own array as an attacker with access would.
    const streams = (store as unknown as { streams: Map<string, RecordedEvent[]> }).streams;
    const event = streams.get(stream)?.[revision];
    if (!event) throw new Error('no such event');
    (event.data as Record<string, unknown>).tampered = true;
    return Promise.resolve(store);
  },
  propertyRuns: 100,
});

describe('a subscription that lets events gather', () => {
  it('reads the events appended within its gathering time in one batch', async () => {
    const store = new MemoryEventStore();
    const batches: number[] = [];
    const subscription = store.subscribe({ gatherMs: 200, pollIntervalMs: 5_000 }, (batch) => {
      if (batch.events.length > 0) batches.push(batch.events.length);
    });
    await subscription.whenCaughtUp();
    for (let n = 0; n < 5; n += 1)
      await store.append(`gather-${String(n)}`, [
        {
          id: newEventId(),
          type: 'ThingHappened',
          schemaVersion: 1,
          data: { n },
          metadata: {
            occurredAt: '2026-01-01T00:00:00.000Z',
            actor: { userId: 'u', role: 'caseworker', orgId: 'o' },
            correlationId: 'c',
            causationId: 'c',
          },
        },
      ]);
    await subscription.whenCaughtUp();
    expect(batches).toEqual([5]);
    await subscription.stop();
  });
});
