import { eventStoreContract } from '../contract/index.js';
import type { EventStore, RecordedEvent } from '../types.js';
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
