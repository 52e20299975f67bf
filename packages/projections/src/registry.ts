import { migratePostgres, type Migration } from '@waypoint/contracts/migrations';
import type { Position } from '@waypoint/eventstore';
import type { SqlClient, SqlDatabase } from './types.js';

export type GenerationStatus = 'building' | 'active' | 'retired';

/** One generation of a read model: its own schema, its own checkpoint. */
export interface Generation {
  readonly name: string;
  readonly generation: number;
  readonly version: number;
  readonly status: GenerationStatus;
  readonly ready: boolean;
  readonly position: Position;
  readonly eventsApplied: number;
  readonly lastRecordedAt: string | null;
  readonly updatedAt: string;
  readonly retiredAt: string | null;
}

const NAME = /^[a-z][a-z0-9_]{0,40}$/;

export function assertProjectionName(name: string): void {
  if (!NAME.test(name))
    throw new Error(`projection name ${JSON.stringify(name)} must match ${NAME.source}`);
}

/** The quoted schema of one generation: names are checked, so quoting is only belt and braces. */
export function schemaName(name: string, generation: number): string {
  assertProjectionName(name);
  return `"rm_${name}_g${String(generation)}"`;
}

/**
 * The engine's own tables: one row per generation (status, checkpoint, counters), parked events,
 * and the event ids a deduplicating consumer (Kafka) has applied. Engines of earlier releases
 * created them without recording a version (hence IF NOT EXISTS) under a transaction lock on the
 * same key (7300), so an earlier engine and this one still take turns.
 */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'generations, parked events, events seen',
    sql: /* sql */ `
      CREATE TABLE IF NOT EXISTS wp_projection_generations (
        name text NOT NULL,
        generation integer NOT NULL,
        version integer NOT NULL,
        status text NOT NULL CHECK (status IN ('building', 'active', 'retired')),
        ready boolean NOT NULL DEFAULT false,
        position text NOT NULL DEFAULT '',
        events_applied bigint NOT NULL DEFAULT 0,
        last_recorded_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        retired_at timestamptz,
        PRIMARY KEY (name, generation));
      CREATE UNIQUE INDEX IF NOT EXISTS wp_projection_one_active
        ON wp_projection_generations (name) WHERE status = 'active';
      CREATE UNIQUE INDEX IF NOT EXISTS wp_projection_one_building
        ON wp_projection_generations (name) WHERE status = 'building';
      CREATE TABLE IF NOT EXISTS wp_projection_parked (
        name text NOT NULL,
        generation integer NOT NULL,
        event_id uuid NOT NULL,
        position text NOT NULL,
        stream text NOT NULL,
        revision bigint NOT NULL,
        type text NOT NULL,
        error text NOT NULL,
        parked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (name, generation, event_id));
      CREATE TABLE IF NOT EXISTS wp_projection_seen (
        name text NOT NULL,
        generation integer NOT NULL,
        event_id uuid NOT NULL,
        PRIMARY KEY (name, generation, event_id));
    `,
  },
];

/** Creates or updates the engine's own tables; safe when several processes start at once. */
export async function migrateRegistry(db: SqlDatabase): Promise<void> {
  await migratePostgres(db, {
    table: 'wp_projection_schema_migrations',
    lock: [7300],
    migrations: MIGRATIONS,
  });
}

interface GenerationRow {
  name: string;
  generation: number;
  version: number;
  status: GenerationStatus;
  ready: boolean;
  position: string;
  events_applied: string | number;
  last_recorded_at: Date | string | null;
  updated_at: Date | string;
  retired_at: Date | string | null;
}

const iso = (value: Date | string): string =>
  value instanceof Date ? value.toISOString() : new Date(value).toISOString();

function toGeneration(row: GenerationRow): Generation {
  return {
    name: row.name,
    generation: row.generation,
    version: row.version,
    status: row.status,
    ready: row.ready,
    position: row.position,
    eventsApplied: Number(row.events_applied),
    lastRecordedAt: row.last_recorded_at === null ? null : iso(row.last_recorded_at),
    updatedAt: iso(row.updated_at),
    retiredAt: row.retired_at === null ? null : iso(row.retired_at),
  };
}

export async function listGenerations(db: SqlClient, name?: string): Promise<Generation[]> {
  const { rows } = await db.query<GenerationRow & Record<string, unknown>>(
    `SELECT * FROM wp_projection_generations ${name === undefined ? '' : 'WHERE name = $1'}
     ORDER BY name, generation`,
    name === undefined ? [] : [name],
  );
  return rows.map(toGeneration);
}

export async function getGeneration(
  db: SqlClient,
  name: string,
  generation: number,
): Promise<Generation | undefined> {
  const { rows } = await db.query<GenerationRow & Record<string, unknown>>(
    'SELECT * FROM wp_projection_generations WHERE name = $1 AND generation = $2',
    [name, generation],
  );
  return rows[0] ? toGeneration(rows[0]) : undefined;
}

/**
 * Adds a generation: `active` when the read model has none yet (it serves while it catches up),
 * `building` otherwise (the active one serves until the new one has caught up). Returns the
 * existing building generation when there is one of that version already.
 */
export async function addGeneration(
  db: SqlDatabase,
  name: string,
  version: number,
): Promise<Generation> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(7302, hashtext($1))', [name]);
    const existing = await listGenerations(tx, name);
    const building = existing.find((g) => g.status === 'building');
    if (building && building.version === version) return building;
    if (building) {
      await tx.query(
        `UPDATE wp_projection_generations SET status = 'retired', retired_at = now(), updated_at = now()
         WHERE name = $1 AND generation = $2`,
        [name, building.generation],
      );
    }
    const next = existing.reduce((max, g) => Math.max(max, g.generation), 0) + 1;
    const status = existing.some((g) => g.status === 'active') ? 'building' : 'active';
    await tx.query(
      `INSERT INTO wp_projection_generations (name, generation, version, status)
       VALUES ($1, $2, $3, $4)`,
      [name, next, version, status],
    );
    const created = await getGeneration(tx, name, next);
    if (!created) throw new Error('generation vanished after insert');
    return created;
  });
}
