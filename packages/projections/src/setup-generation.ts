import { schemaName } from './registry.js';
import type { Projection, SqlDatabase } from './types.js';

/**
 * Creates a generation's schema and tables, once: under a transaction lock, and only while the
 * generation is not marked ready, so that two processes setting it up at once do not race.
 */
export async function setupGeneration(
  db: SqlDatabase,
  projection: Projection,
  generation: number,
): Promise<void> {
  const schema = schemaName(projection.name, generation);
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(7303, hashtext($1))', [
      `${projection.name}:${String(generation)}`,
    ]);
    const { rows } = await tx.query<{ ready: boolean }>(
      'SELECT ready FROM wp_projection_generations WHERE name = $1 AND generation = $2',
      [projection.name, generation],
    );
    if (rows[0]?.ready !== false) return;
    await tx.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await tx.query(`CREATE SCHEMA ${schema}`);
    await projection.setup(tx, schema);
    await tx.query(
      'UPDATE wp_projection_generations SET ready = true, updated_at = now() WHERE name = $1 AND generation = $2',
      [projection.name, generation],
    );
  });
}
