import { migratePostgres, type Migration } from '@waypoint/contracts/migrations';
import { START, type Position } from '@waypoint/eventstore';
import type { CheckpointStore } from './checkpoint-store.js';

/** The part of a `pg` Pool (or client) the checkpoint store uses. */
export interface SqlQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * The adapter's own schema steps, applied by the shared runner. Relays of earlier releases created
 * the table without recording a version (hence IF NOT EXISTS) under a transaction lock on the same
 * key, so an earlier relay and this one still take turns.
 */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'relay checkpoints',
    sql: /* sql */ `
      CREATE TABLE IF NOT EXISTS wp_relay_checkpoints (
        name text PRIMARY KEY,
        position text COLLATE "C" NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
];

/**
 * Relay checkpoints in PostgreSQL, one row per relay. Positions are compared as strings in byte
 * order (COLLATE "C"), which is the order of the store's position tokens, so a save never moves a
 * checkpoint backwards.
 */
export class PostgresCheckpointStore implements CheckpointStore {
  private constructor(private readonly db: SqlQueryable) {}

  static async open(db: SqlQueryable): Promise<PostgresCheckpointStore> {
    await migratePostgres(db, {
      table: 'wp_relay_schema_migrations',
      lock: [1466, 1],
      migrations: MIGRATIONS,
    });
    return new PostgresCheckpointStore(db);
  }

  async load(name: string): Promise<Position> {
    const { rows } = await this.db.query(
      'SELECT position FROM wp_relay_checkpoints WHERE name = $1',
      [name],
    );
    const row = rows[0] as { position: string } | undefined;
    return row?.position ?? START;
  }

  async save(name: string, position: Position): Promise<void> {
    await this.db.query(
      `INSERT INTO wp_relay_checkpoints (name, position) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = now()
       WHERE wp_relay_checkpoints.position < EXCLUDED.position`,
      [name, position],
    );
  }
}
