import type { RecordedEvent } from '@waypoint/eventstore';
import type { Projection, SqlDatabase } from './types.js';

let replays = 0;

/**
 * For specs: sets a projection up in a fresh schema and applies the events (in batches of
 * `batchSize`, default all at once), returning the quoted schema to query.
 */
export async function replay(
  db: SqlDatabase,
  projection: Projection,
  events: readonly RecordedEvent[],
  batchSize = events.length,
): Promise<string> {
  replays += 1;
  const schema = `"spec_${projection.name}_${String(process.pid)}_${String(replays)}"`;
  await db.transaction(async (tx) => {
    await tx.query(`CREATE SCHEMA ${schema}`);
    await projection.setup(tx, schema);
  });
  const size = Math.max(1, batchSize);
  for (let start = 0; start < events.length; start += size) {
    const batch = events.slice(start, start + size);
    await db.transaction((tx) => projection.apply(tx, batch, schema));
  }
  return schema;
}
