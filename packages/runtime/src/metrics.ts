import type { Relay } from '@waypoint/bus';
import type { EventStore } from '@waypoint/eventstore';
import { oldestOpenTransaction, type OldestTransaction } from '@waypoint/eventstore/postgres';
import {
  registerProjectionMetrics,
  type ProjectionEngine,
  type SqlDatabase,
} from '@waypoint/projections';
import pg from 'pg';
import type { BusActivity } from './bus-activity.js';
import { registerScraped, type MetricsRegistry, type Sample } from './scraped-metric.js';

/** Events read ahead of the relay's checkpoint per scrape, at most: a bounded read, like the projections' lag. */
export const RELAY_BEHIND_CAP = 10_000;

/**
 * One read shared by the families of a scrape: the registry collects them all at once, and the
 * result is kept a quarter of a second so they agree with each other.
 */
function shared<T>(read: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= read().finally(() => {
      setTimeout(() => {
        pending = undefined;
      }, 250).unref();
    });
    return pending;
  };
}

/** A family that cannot be read (its database is down) reports no sample, not a failed scrape. */
async function orNone(read: () => Promise<readonly Sample[]>): Promise<readonly Sample[]> {
  try {
    return await read();
  } catch {
    return [];
  }
}

/**
 * The relay of a service: events relayed, failures, health, how many events of the service's
 * categories wait after its checkpoint (capped), how long the oldest one read has waited, and how
 * long since a publish last succeeded (from the metered bus).
 */
export function registerRelayMetrics(
  registry: MetricsRegistry,
  options: {
    /** The relay's name (the service's): its label. */
    readonly name: string;
    readonly relay: Relay;
    readonly store: EventStore;
    readonly categories: readonly string[];
    readonly activity: BusActivity;
  },
): void {
  const { relay, store, categories, activity } = options;
  const labels = { relay: options.name };
  const one = (value: number): Sample[] => [{ labels, value }];
  registerScraped(registry, {
    name: 'relay_events_total',
    help: 'Events the relay published and checkpointed since the process started',
    type: 'counter',
    collect: () => one(relay.status().eventsRelayed),
  });
  registerScraped(registry, {
    name: 'relay_failures_total',
    help: 'Failed publishes, store reads and checkpoint reads or writes of the relay (each retried)',
    type: 'counter',
    collect: () => one(relay.status().failures),
  });
  registerScraped(registry, {
    name: 'relay_healthy',
    help: '0 from a failed publish, read or checkpoint until the next one succeeds, else 1',
    type: 'gauge',
    collect: () => one(relay.status().healthy ? 1 : 0),
  });
  registerScraped(registry, {
    name: 'relay_lag_seconds',
    help: 'How long the oldest event read but not yet acknowledged by the bus has waited since it was recorded',
    type: 'gauge',
    collect: () => one(relay.status().lagMs / 1000),
  });
  registerScraped(registry, {
    name: 'relay_events_behind',
    help: `Events of the service's categories in the store after the relay checkpoint (capped at ${RELAY_BEHIND_CAP.toLocaleString('en')})`,
    type: 'gauge',
    collect: () =>
      orNone(async () => {
        const batch = await store.readAllBatch({
          from: relay.status().position,
          maxCount: RELAY_BEHIND_CAP,
          filter: { categories },
        });
        return one(batch.events.length);
      }),
  });
  registerScraped(registry, {
    name: 'relay_seconds_since_last_publish',
    help: 'Seconds since a publish to an event topic last succeeded (since the start, if none did); grows while idle too',
    type: 'gauge',
    collect: () => one(activity.secondsSinceLastPublish()),
  });
}

/** A PostgreSQL cluster to watch, named by what it holds (`event_store`, `read_models`). */
export interface WatchedCluster {
  readonly cluster: string;
  readonly db: pg.Pool;
}

/**
 * The age of the oldest open transaction, and of the oldest that holds a transaction id, per
 * cluster. The second is the one that holds back the PostgreSQL store's readers (its snapshot
 * xmin is cluster-wide); both hold back VACUUM.
 */
export function registerPostgresMetrics(
  registry: MetricsRegistry,
  clusters: readonly WatchedCluster[],
): void {
  const probe = shared(async () => {
    const results = await Promise.all(
      clusters.map(async ({ cluster, db }) => {
        try {
          return { cluster, oldest: await oldestOpenTransaction(db) };
        } catch {
          return undefined;
        }
      }),
    );
    return results.filter((result) => result !== undefined);
  });
  const family = (value: (oldest: OldestTransaction) => number) => async (): Promise<Sample[]> =>
    (await probe()).map(({ cluster, oldest }) => ({ labels: { cluster }, value: value(oldest) }));
  registerScraped(registry, {
    name: 'pg_oldest_transaction_age_seconds',
    help: 'Age of the oldest open transaction anywhere in the PostgreSQL cluster (0 when none is)',
    type: 'gauge',
    collect: family((oldest) => oldest.seconds),
  });
  registerScraped(registry, {
    name: 'pg_oldest_writing_transaction_age_seconds',
    help: 'Age of the oldest open transaction holding a transaction id: it holds back every reader of a PostgreSQL event store in the cluster',
    type: 'gauge',
    collect: family((oldest) => oldest.writingSeconds),
  });
}

/**
 * Parked events of read models fed from Kafka, with the labels of `registerProjectionMetrics`.
 * Their lag is not the engine's: a bus-fed generation has no checkpoint in the store's log (the
 * consumers' offsets are its checkpoint), so the engine's events and seconds behind, measured from
 * that checkpoint, would count the whole log. Their lag is `bus_consumer_lag_seconds`.
 */
export function registerBusFedProjectionMetrics(
  registry: MetricsRegistry,
  db: SqlDatabase,
  /** The service's read models: services sharing a database each report their own. */
  names: readonly string[],
): void {
  registerScraped(registry, {
    name: 'projection_parked_events',
    help: 'Events parked because the projection failed on them',
    type: 'gauge',
    collect: () =>
      orNone(async () => {
        const { rows } = await db.query<{
          name: string;
          generation: number;
          status: string;
          parked: string;
        }>(
          `SELECT g.name, g.generation, g.status, count(p.event_id) AS parked
           FROM wp_projection_generations g
           LEFT JOIN wp_projection_parked p ON p.name = g.name AND p.generation = g.generation
          WHERE g.status <> 'retired' AND g.name = ANY($1::text[])
          GROUP BY g.name, g.generation, g.status
          ORDER BY g.name, g.generation`,
          [names],
        );
        return rows.map((row) => ({
          labels: { projection: row.name, generation: String(row.generation), status: row.status },
          value: Number(row.parked),
        }));
      }),
  });
}

export interface DistributedMetricsSources {
  readonly store: EventStore;
  /** The stream categories the service writes (what its relay forwards). */
  readonly categories: readonly string[];
  readonly activity: BusActivity;
  readonly relay: Relay | undefined;
  readonly engine: ProjectionEngine | undefined;
  /** The names of the service's read models (the engine's). */
  readonly projections: readonly string[];
  /** How the read models are fed: from the store's log, or from Kafka by consumers. */
  readonly feed: 'store' | 'bus';
  /** The service's PostgreSQL database (read models, idempotency records, relay checkpoint). */
  readonly readModels: pg.Pool;
  /** EVENT_STORE_URL with its password: watched too when it is PostgreSQL. */
  readonly eventStoreUrl: string;
  readonly service: string;
}

export interface DistributedMetrics {
  /** Closes the connection that watches the event store's cluster, if one was opened. */
  close(): Promise<void>;
}

/**
 * Every metric of a distributed service beyond the kit's, on its app's registry, each read when
 * scraped: the relay, the consumers (through the metered bus), the read models, and the oldest
 * open transaction of its PostgreSQL clusters. See docs/operations.md for what to alert on.
 */
export function registerDistributedMetrics(
  registry: MetricsRegistry,
  sources: DistributedMetricsSources,
): DistributedMetrics {
  sources.activity.register(registry);
  if (sources.relay)
    registerRelayMetrics(registry, {
      name: sources.service,
      relay: sources.relay,
      store: sources.store,
      categories: sources.categories,
      activity: sources.activity,
    });
  if (sources.engine) {
    if (sources.feed === 'bus')
      registerBusFedProjectionMetrics(registry, sources.engine.db, sources.projections);
    else registerProjectionMetrics(registry, sources.engine);
  }
  const clusters: WatchedCluster[] = [{ cluster: 'read_models', db: sources.readModels }];
  let probe: pg.Pool | undefined;
  if (/^postgres(?:ql)?:\/\//.test(sources.eventStoreUrl)) {
    probe = new pg.Pool({
      connectionString: sources.eventStoreUrl,
      max: 1,
      idleTimeoutMillis: 60_000,
      application_name: `${sources.service}-metrics`,
    });
    // A connection the server ends surfaces on the next probe, which then reports nothing.
    probe.on('error', () => undefined);
    clusters.push({ cluster: 'event_store', db: probe });
  }
  registerPostgresMetrics(registry, clusters);
  return { close: async () => probe?.end() };
}
