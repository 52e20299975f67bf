import type { ServiceMetrics } from '@waypoint/service-kit';

/** The app's prom-client registry (`app.metrics.registry`). */
export type MetricsRegistry = ServiceMetrics['registry'];

type RegisteredMetric = Parameters<MetricsRegistry['registerMetric']>[0];

export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A metric family whose samples are computed when the registry is scraped, never stored. */
export interface ScrapedFamily {
  /** Counters end in `_total`; their value only grows while the process lives. */
  readonly name: string;
  readonly help: string;
  readonly type: 'gauge' | 'counter';
  collect(): readonly Sample[] | Promise<readonly Sample[]>;
}

/**
 * Registers a family read at scrape time on the app's registry. prom-client is not a dependency
 * of this package, so the family is given to the registry in the shape it reads every metric in:
 * a `name` and a `get()` resolving to `{ name, help, type, aggregator, values }` (and a `reset()`
 * it calls on `resetMetrics`). With prom-client a dependency here, this is
 * `new Gauge({ name, help, labelNames, registers: [registry], collect })` instead.
 */
export function registerScraped(registry: MetricsRegistry, family: ScrapedFamily): void {
  const metric = {
    name: family.name,
    help: family.help,
    type: family.type,
    aggregator: 'sum',
    async get() {
      const samples = await family.collect();
      return {
        // The registry may rename a counter (OpenMetrics drops `_total`): read the name it holds.
        name: metric.name,
        help: family.help,
        type: family.type,
        aggregator: 'sum',
        values: samples.map((sample) => ({ labels: { ...sample.labels }, value: sample.value })),
      };
    },
    reset: () => undefined,
  };
  registry.registerMetric(metric as unknown as RegisteredMetric);
}
