import type { EventStore } from '@waypoint/eventstore';
import type { Generation } from './registry.js';
import type { Projection } from './types.js';

export interface Lag {
  /** Events after the checkpoint that the projection reads; at most the cap. */
  readonly eventsBehind: number;
  /** True when there are at least as many as the cap. */
  readonly capped: boolean;
  /** Age of the oldest event not yet applied; 0 when caught up. */
  readonly secondsBehind: number;
}

/**
 * How far a generation is behind the log: reads ahead of its checkpoint (up to `cap` events, so
 * that a long backlog costs a bounded read) and dates the oldest event it has not applied.
 */
export async function measureLag(
  store: EventStore,
  projection: Projection,
  generation: Generation,
  now: Date,
  cap = 10_000,
): Promise<Lag> {
  const batch = await store.readAllBatch({
    from: generation.position,
    maxCount: cap,
    ...(projection.filter ? { filter: projection.filter } : {}),
  });
  const first = batch.events[0];
  return {
    eventsBehind: batch.events.length,
    capped: batch.events.length >= cap,
    secondsBehind: first
      ? Math.max(0, (now.getTime() - Date.parse(first.metadata.recordedAt)) / 1000)
      : 0,
  };
}
