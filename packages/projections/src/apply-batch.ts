import type { Position, RecordedEvent } from '@waypoint/eventstore';
import { schemaName } from './registry.js';
import { isTransient } from './transient.js';
import type { Projection, SqlClient, SqlDatabase } from './types.js';

/** Another instance moved the checkpoint: this one must stop writing. */
export class CheckpointMovedError extends Error {
  constructor(name: string, generation: number) {
    super(`the checkpoint of ${name} generation ${String(generation)} was moved by another runner`);
    this.name = 'CheckpointMovedError';
  }
}

export interface BatchTarget {
  readonly projection: Projection;
  readonly generation: number;
}

export interface BatchOutcome {
  readonly applied: number;
  readonly parked: number;
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, 2_000);
}

/**
 * A read model is rebuilt from the log, and its checkpoint commits with it: a commit lost in a
 * server crash is applied again from the older checkpoint, so projection transactions need not
 * wait for the WAL flush. This is what makes a rebuild disk-bound no longer.
 */
async function relaxDurability(tx: SqlClient): Promise<void> {
  await tx.query('SET LOCAL synchronous_commit = off');
}

async function moveCheckpoint(
  tx: SqlClient,
  target: BatchTarget,
  from: Position,
  to: Position,
  events: readonly RecordedEvent[],
): Promise<void> {
  const last = events.at(-1);
  const { rows } = await tx.query(
    `UPDATE wp_projection_generations
        SET position = $3, events_applied = events_applied + $4,
            last_recorded_at = COALESCE($5::timestamptz, last_recorded_at), updated_at = now()
      WHERE name = $1 AND generation = $2 AND position = $6
      RETURNING 1`,
    [
      target.projection.name,
      target.generation,
      to,
      events.length,
      last?.metadata.recordedAt ?? null,
      from,
    ],
  );
  if (rows.length === 0) throw new CheckpointMovedError(target.projection.name, target.generation);
}

async function park(
  tx: SqlClient,
  target: BatchTarget,
  event: RecordedEvent,
  error: unknown,
): Promise<void> {
  await tx.query(
    `INSERT INTO wp_projection_parked (name, generation, event_id, position, stream, revision, type, error)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (name, generation, event_id) DO UPDATE SET error = EXCLUDED.error, parked_at = now()`,
    [
      target.projection.name,
      target.generation,
      event.id,
      event.position,
      event.stream,
      event.revision,
      event.type,
      errorText(error),
    ],
  );
}

/**
 * Applies events one at a time, each under a savepoint: an event that fails is parked with its
 * error and position, and the others still take effect.
 */
export async function applyEachOrPark(
  tx: SqlClient,
  target: BatchTarget,
  events: readonly RecordedEvent[],
): Promise<BatchOutcome> {
  const schema = schemaName(target.projection.name, target.generation);
  let parked = 0;
  for (const event of events) {
    await tx.query('SAVEPOINT wp_event');
    try {
      await target.projection.apply(tx, [event], schema);
      await tx.query('RELEASE SAVEPOINT wp_event');
    } catch (error) {
      if (isTransient(error)) throw error;
      await tx.query('ROLLBACK TO SAVEPOINT wp_event');
      await park(tx, target, event, error);
      parked += 1;
    }
  }
  return { applied: events.length - parked, parked };
}

/**
 * One batch, one transaction: the read-model changes and the checkpoint move together, so each
 * event takes effect exactly once. The checkpoint only moves from where this runner last left
 * it: a second runner that got there first makes this one stop. When the batch fails because of
 * an event, it is applied again event by event and the failing events are parked.
 */
export async function applyLogBatch(
  db: SqlDatabase,
  target: BatchTarget,
  from: Position,
  to: Position,
  events: readonly RecordedEvent[],
): Promise<BatchOutcome> {
  const schema = schemaName(target.projection.name, target.generation);
  try {
    return await db.transaction(async (tx) => {
      await relaxDurability(tx);
      await moveCheckpoint(tx, target, from, to, events);
      if (events.length > 0) await target.projection.apply(tx, events, schema);
      return { applied: events.length, parked: 0 };
    });
  } catch (error) {
    if (error instanceof CheckpointMovedError || isTransient(error)) throw error;
    return db.transaction(async (tx) => {
      await relaxDurability(tx);
      await moveCheckpoint(tx, target, from, to, events);
      return applyEachOrPark(tx, target, events);
    });
  }
}

/**
 * For consumers that may see an event twice (Kafka's at-least-once delivery): the event ids go
 * into a table in the same transaction as their effects, and ids seen before are skipped.
 */
export async function applyDeduplicated(
  db: SqlDatabase,
  target: BatchTarget,
  events: readonly RecordedEvent[],
): Promise<BatchOutcome & { duplicates: number }> {
  if (events.length === 0) return { applied: 0, parked: 0, duplicates: 0 };
  const unique = [...new Map(events.map((event) => [event.id, event])).values()];
  const claim = async (tx: SqlClient): Promise<RecordedEvent[]> => {
    // Batches of several partitions and topics (and of several instances of the service) reach
    // one generation at once; projections fold per journey, reading what they wrote before, and
    // a journey's events span topics. One batch at a time per generation keeps every fold whole.
    await tx.query('SELECT pg_advisory_xact_lock(7304, hashtext($1))', [
      `${target.projection.name}:${String(target.generation)}`,
    ]);
    const { rows } = await tx.query<{ event_id: string }>(
      `INSERT INTO wp_projection_seen (name, generation, event_id)
       SELECT $1, $2, id FROM unnest($3::uuid[]) AS t(id)
       ON CONFLICT DO NOTHING RETURNING event_id`,
      [target.projection.name, target.generation, unique.map((event) => event.id)],
    );
    const fresh = new Set(rows.map((row) => row.event_id));
    return unique.filter((event) => fresh.has(event.id));
  };
  const schema = schemaName(target.projection.name, target.generation);
  try {
    return await db.transaction(async (tx) => {
      const fresh = await claim(tx);
      if (fresh.length > 0) await target.projection.apply(tx, fresh, schema);
      return { applied: fresh.length, parked: 0, duplicates: events.length - fresh.length };
    });
  } catch (error) {
    if (isTransient(error)) throw error;
    return db.transaction(async (tx) => {
      const fresh = await claim(tx);
      const outcome = await applyEachOrPark(tx, target, fresh);
      return { ...outcome, duplicates: events.length - fresh.length };
    });
  }
}
