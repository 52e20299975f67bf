import { newEventId, type EventStore } from '@waypoint/eventstore';
import type { Bus } from '../bus.js';
import { MemoryCheckpointStore, type CheckpointStore } from '../relay/checkpoint-store.js';
import { Relay } from '../relay/relay.js';
import { eventsRoute } from '../relay/routes.js';
import { samplePeakRss } from './rss.js';

export interface FillOptions {
  /** A category of its own, so the bench reads only what it wrote. */
  readonly category: string;
  readonly events: number;
  /** Journeys the events are spread over. Default 100. */
  readonly streams?: number;
  /** Events per append. Default 100. */
  readonly perAppend?: number;
}

/** Writes `events` events shaped like a service's (an encrypted field included) into the store. */
export async function fillStore(store: EventStore, options: FillOptions): Promise<void> {
  const streams = Array.from(
    { length: options.streams ?? 100 },
    (_, index) => `${options.category}-00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
  );
  const perAppend = options.perAppend ?? 100;
  for (let written = 0, turn = 0; written < options.events; turn += 1) {
    const stream = streams[turn % streams.length] ?? '';
    const count = Math.min(perAppend, options.events - written);
    await store.append(
      stream,
      Array.from({ length: count }, () => ({
        id: newEventId(),
        type: 'IncidentRecorded',
        schemaVersion: 1,
        data: {
          incidentId: newEventId(),
          kind: 'threat_from_traffickers',
          severity: 'high',
          occurredOn: '2025-03-02',
          policeNotified: true,
          description: {
            $enc: 'aes-256-gcm/v1',
            subject: 'bench',
            category: 'notes',
            path: 'data.description',
            iv: 'AAAAAAAAAAAAAAAA',
            ct: 'Y2lwaGVydGV4dCBvZiBhIGZyZWUgdGV4dCBub3Rl',
            tag: 'AAAAAAAAAAAAAAAAAAAAAA',
          },
        },
        metadata: {
          occurredAt: '2025-03-01T10:00:00.000Z',
          actor: { userId: 'bench', role: 'caseworker', orgId: 'bench-org' },
          correlationId: 'bench',
          causationId: 'bench',
        },
      })),
    );
    written += count;
  }
}

export interface RelayThroughputResult {
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /** The process's peak resident set size while relaying, in MiB. */
  readonly peakRssMiB: number;
}

/**
 * Relay throughput: a fresh relay forwards everything the store holds in `category` (written by
 * `fillStore`) to `topic` and stops once caught up. Timed from start to caught up (every batch
 * acknowledged by the bus and checkpointed).
 */
export async function relayThroughput(options: {
  readonly store: EventStore;
  readonly bus: Bus;
  readonly category: string;
  readonly topic: string;
  readonly events: number;
  readonly batchSize?: number;
  /** Where the relay checkpoints: PostgreSQL in production; in memory by default. */
  readonly checkpoints?: CheckpointStore;
}): Promise<RelayThroughputResult> {
  const rss = samplePeakRss();
  const started = performance.now();
  const relay = Relay.start({
    name: `bench-${options.category}`,
    store: options.store,
    bus: options.bus,
    checkpoints: options.checkpoints ?? new MemoryCheckpointStore(),
    categories: [options.category],
    routes: [eventsRoute(options.topic)],
    batchSize: options.batchSize ?? 1_000,
  });
  try {
    await relay.whenCaughtUp();
  } finally {
    await relay.stop();
  }
  const seconds = (performance.now() - started) / 1_000;
  const relayed = relay.status().eventsRelayed;
  if (relayed !== options.events)
    throw new Error(`relayed ${String(relayed)} events, expected ${String(options.events)}`);
  return {
    events: relayed,
    seconds,
    eventsPerSecond: relayed / seconds,
    peakRssMiB: rss.stop(),
  };
}
