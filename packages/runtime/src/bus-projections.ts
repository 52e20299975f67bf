import { randomBytes } from 'node:crypto';
import { consumeEvents, type Bus, type BusLogger, type EventConsumer } from '@waypoint/bus';
import type { Projection, ProjectionEngine, SqlDatabase } from '@waypoint/projections';
import { topicsFor } from './topics.js';

export interface BusFedProjections {
  readonly consumers: readonly EventConsumer[];
  /** False while any consumer's last batch failed, or any is not in its group: for readiness. */
  healthy(): boolean;
  stop(): Promise<void>;
}

/** The consumer group of each generation, so that a read-model database starts its own groups. */
const GROUPS_TABLE = /* sql */ `
  SELECT pg_advisory_xact_lock(7303);
  CREATE TABLE IF NOT EXISTS wp_bus_consumer_groups (
    name text NOT NULL,
    generation integer NOT NULL,
    group_id text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (name, generation)
  );
`;

/**
 * `<service>-<projection>-g<generation>-<suffix>`, kept in the read-model database: instances that
 * share the database share the group (and the partitions), while a new database (the read model
 * dropped, as it may be: it is disposable) gets new groups that read the topics from the start,
 * instead of resuming from offsets committed for tables that are gone.
 */
async function groupIdOf(
  db: SqlDatabase,
  service: string,
  name: string,
  generation: number,
): Promise<string> {
  const candidate = `${service}-${name}-g${String(generation)}-${randomBytes(4).toString('hex')}`;
  await db.query(
    `INSERT INTO wp_bus_consumer_groups (name, generation, group_id) VALUES ($1, $2, $3)
     ON CONFLICT (name, generation) DO NOTHING`,
    [name, generation, candidate],
  );
  const { rows } = await db.query<{ group_id: string }>(
    'SELECT group_id FROM wp_bus_consumer_groups WHERE name = $1 AND generation = $2',
    [name, generation],
  );
  return rows[0]?.group_id ?? candidate;
}

/**
 * Feeds a started engine (`feed: 'bus'`, which sets every generation's tables up) from Kafka: for
 * each generation that serves or is being built, a consumer group on the topics its filter needs,
 * whose batches go to that generation through `applyFromBus` (deduplicated by event id in the
 * read model's transaction). Events of different
 * services arrive in no particular order between topics: the projections fold per journey and do
 * not depend on it.
 */
export async function feedProjectionsFromBus(options: {
  readonly service: string;
  readonly bus: Bus;
  readonly engine: ProjectionEngine;
  readonly projections: readonly Projection[];
  readonly logger?: BusLogger;
}): Promise<BusFedProjections> {
  const { db } = options.engine;
  await db.exec(GROUPS_TABLE);
  const consumers: EventConsumer[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(consumers.map((consumer) => consumer.stop()));
  };
  try {
    for (const projection of options.projections) {
      const { rows } = await db.query<{ generation: number }>(
        `SELECT generation FROM wp_projection_generations
          WHERE name = $1 AND status <> 'retired' ORDER BY generation`,
        [projection.name],
      );
      for (const { generation } of rows) {
        const groupId = await groupIdOf(db, options.service, projection.name, generation);
        consumers.push(
          await consumeEvents(options.bus, {
            topics: topicsFor(projection.filter),
            groupId,
            sink: async (events) => {
              await options.engine.applyFromBus(projection.name, events, { generation });
            },
            ...(options.logger === undefined ? {} : { logger: options.logger }),
          }),
        );
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    consumers,
    healthy: () =>
      consumers.every((consumer) => {
        const status = consumer.status();
        return status.healthy && status.joined;
      }),
    stop,
  };
}
