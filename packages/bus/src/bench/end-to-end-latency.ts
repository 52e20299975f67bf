import { newEventId, type EventStore } from '@waypoint/eventstore';
import type { Bus } from '../bus.js';
import { consumeEvents } from '../consumer/consume-events.js';
import { MemoryCheckpointStore } from '../relay/checkpoint-store.js';
import { Relay } from '../relay/relay.js';
import { eventsRoute } from '../relay/routes.js';

export interface LatencyResult {
  readonly events: number;
  readonly ratePerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

/**
 * End-to-end latency at a steady rate: one event appended every 1/rate seconds to one of 20
 * journeys; the time from the start of its append to the moment the sink has applied it, having
 * gone store, relay, bus, consumer. The sink deduplicates by event id in memory (the read-model
 * transaction is the projections bench's subject). A warm-up event first waits for the group.
 */
export async function endToEndLatency(options: {
  readonly store: EventStore;
  readonly bus: Bus;
  readonly category: string;
  readonly topic: string;
  readonly ratePerSecond: number;
  readonly durationMs: number;
  readonly pollIntervalMs?: number;
}): Promise<LatencyResult> {
  const appendStarted = new Map<string, number>();
  const latencies: number[] = [];
  const applied = new Set<string>();
  let warmUpId: string | undefined;
  let warmedUp: () => void = () => undefined;
  const warm = new Promise<void>((resolve) => {
    warmedUp = resolve;
  });

  const relay = Relay.start({
    name: `bench-latency-${options.category}`,
    store: options.store,
    bus: options.bus,
    checkpoints: new MemoryCheckpointStore(),
    categories: [options.category],
    routes: [eventsRoute(options.topic)],
    batchSize: 500,
    ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
  });
  const consumer = await consumeEvents(options.bus, {
    topics: [options.topic],
    groupId: `${options.topic}.bench`,
    sink: (events) => {
      const now = performance.now();
      for (const event of events) {
        if (applied.has(event.id)) continue;
        applied.add(event.id);
        if (event.id === warmUpId) warmedUp();
        const started = appendStarted.get(event.id);
        if (started !== undefined) latencies.push(now - started);
      }
      return Promise.resolve();
    },
  });
  const streams = Array.from(
    { length: 20 },
    (_, index) => `${options.category}-00000000-0000-4000-9000-${String(index).padStart(12, '0')}`,
  );
  const append = async (stream: string, measured: boolean): Promise<string> => {
    const id = newEventId();
    if (measured) appendStarted.set(id, performance.now());
    await options.store.append(stream, [
      {
        id,
        type: 'IncidentRecorded',
        schemaVersion: 1,
        data: {
          kind: 'violence',
          severity: 'low',
          occurredOn: '2025-03-02',
          policeNotified: false,
        },
        metadata: {
          occurredAt: '2025-03-01T10:00:00.000Z',
          actor: { userId: 'bench', role: 'caseworker', orgId: 'bench-org' },
          correlationId: 'bench',
          causationId: 'bench',
        },
      },
    ]);
    return id;
  };

  try {
    warmUpId = await append(streams[0] ?? '', false);
    await warm;
    const total = Math.max(1, Math.round((options.durationMs / 1_000) * options.ratePerSecond));
    const interval = 1_000 / options.ratePerSecond;
    const start = performance.now();
    const appends: Promise<string>[] = [];
    for (let index = 0; index < total; index += 1) {
      const due = start + index * interval;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      appends.push(append(streams[index % streams.length] ?? '', true));
    }
    await Promise.all(appends);
    const deadline = performance.now() + 60_000;
    while (latencies.length < total && performance.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    if (latencies.length < total)
      throw new Error(`${String(latencies.length)} of ${String(total)} events applied in time`);
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      events: total,
      ratePerSecond: options.ratePerSecond,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      maxMs: sorted.at(-1) ?? Number.NaN,
    };
  } finally {
    await consumer.stop();
    await relay.stop();
  }
}
