import { PostgresCheckpointStore, type CheckpointStore, type RelayLock } from '@waypoint/bus';
import { START, type Position } from '@waypoint/eventstore';
import pg from 'pg';

/** Where a service's relay keeps its lock and its checkpoint. */
export interface RelayHome {
  /** Usable while the lock is held (the relay reads and saves it only then), on the lock's connection. */
  readonly checkpoints: CheckpointStore;
  /** The service's relay lock, or null while another process (any replica, any rebuild) holds it. */
  tryLock(): Promise<RelayLock | null>;
  close(): Promise<void>;
}

interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

const LOCK_CLASS = 7301;

/**
 * Opens the relay's home: a PostgreSQL database every process of the service reaches whatever
 * its read-model database is (the event store's, as the relay reads from it; the shared key
 * store's when the events are in KurrentDB). The lock is a session advisory lock on a connection
 * of its own, which also serves the checkpoint while held: one connection for the active relay,
 * none for a standby between its attempts. A checkpoint left in the read-model database by an
 * earlier version is carried over once, so that moving here does not publish the whole log again.
 */
export async function openRelayHome(options: {
  readonly service: string;
  readonly url: string;
  readonly formerCheckpoints: Queryable;
}): Promise<RelayHome> {
  const name = `relay:${options.service}`;
  const setup = new pg.Client({ connectionString: options.url });
  setup.on('error', () => undefined);
  await setup.connect();
  try {
    const checkpoints = await PostgresCheckpointStore.open(setup);
    if ((await checkpoints.load(options.service)) === START) {
      const former = await formerCheckpoint(options.formerCheckpoints, options.service);
      if (former !== undefined) await checkpoints.save(options.service, former);
    }
  } finally {
    await setup.end();
  }

  let holder: { client: pg.Client; store: PostgresCheckpointStore } | undefined;
  const held = (): PostgresCheckpointStore => {
    if (!holder) throw new Error(`${name}: the checkpoint is used only while the lock is held`);
    return holder.store;
  };
  return {
    checkpoints: {
      load: (service: string): Promise<Position> => held().load(service),
      save: (service: string, position: Position): Promise<void> => held().save(service, position),
    },
    tryLock: async () => {
      const client = new pg.Client({ connectionString: options.url });
      let signalLost: () => void = () => undefined;
      const lost = new Promise<void>((resolve) => {
        signalLost = resolve;
      });
      client.on('error', () => {
        signalLost();
      });
      client.on('end', () => {
        signalLost();
      });
      await client.connect();
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked',
        [LOCK_CLASS, name],
      );
      if (rows[0]?.locked !== true) {
        await client.end();
        return null;
      }
      const current = { client, store: await PostgresCheckpointStore.open(client) };
      holder = current;
      return {
        lost,
        release: async () => {
          if (holder === current) holder = undefined;
          await client.end().catch(() => undefined);
        },
      };
    },
    close: async () => {
      const current = holder;
      holder = undefined;
      await current?.client.end().catch(() => undefined);
    },
  };
}

async function formerCheckpoint(db: Queryable, service: string): Promise<string | undefined> {
  const found = await db.query(`SELECT to_regclass('wp_relay_checkpoints') IS NOT NULL AS found`);
  if ((found.rows[0] as { found: boolean } | undefined)?.found !== true) return undefined;
  const { rows } = await db.query('SELECT position FROM wp_relay_checkpoints WHERE name = $1', [
    service,
  ]);
  const row = rows[0] as { position: string } | undefined;
  return row?.position;
}
