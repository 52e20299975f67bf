import { Gauge, type Registry } from 'prom-client';
import type { ProjectionEngine } from './engine.js';

/**
 * The engine's state as Prometheus gauges, read when scraped: events and seconds behind, parked
 * events, and events applied, per projection and generation. The alerts that matter are lag that
 * keeps growing and any parked event (see docs/operations.md).
 */
export function registerProjectionMetrics(registry: Registry, engine: ProjectionEngine): void {
  const labelNames = ['projection', 'generation', 'status'] as const;
  const behind = new Gauge({
    name: 'projection_events_behind',
    help: 'Events in the log after the checkpoint that the projection reads (capped at 10,000)',
    labelNames,
    registers: [registry],
    // One status read serves the four gauges of a scrape.
    collect: () => collect(),
  });
  const seconds = new Gauge({
    name: 'projection_seconds_behind',
    help: 'Age in seconds of the oldest event the projection has not applied (0 when caught up)',
    labelNames,
    registers: [registry],
    collect: () => collect(),
  });
  const parked = new Gauge({
    name: 'projection_parked_events',
    help: 'Events parked because the projection failed on them',
    labelNames,
    registers: [registry],
    collect: () => collect(),
  });
  const applied = new Gauge({
    name: 'projection_events_applied',
    help: 'Events applied to this generation since it was created',
    labelNames,
    registers: [registry],
    collect: () => collect(),
  });
  let pending: Promise<void> | undefined;
  const refresh = async (): Promise<void> => {
    const statuses = await engine.status();
    for (const gauge of [behind, seconds, parked, applied]) gauge.reset();
    for (const status of statuses) {
      const labels = {
        projection: status.name,
        generation: String(status.generation),
        status: status.status,
      };
      behind.set(labels, status.lag.eventsBehind);
      seconds.set(labels, status.lag.secondsBehind);
      parked.set(labels, status.parked);
      applied.set(labels, status.eventsApplied);
    }
  };
  async function collect(): Promise<void> {
    pending ??= refresh().finally(() => {
      setTimeout(() => {
        pending = undefined;
      }, 250).unref();
    });
    await pending;
  }
}
