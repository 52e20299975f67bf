import type { RecordedEvent } from '@waypoint/eventstore';
import type { Projection, SqlClient } from '../types.js';

/**
 * A projection for the engine's own specs: counts events per stream and remembers the last type.
 * Applying an event twice would double its count, so counts show exactly-once. An event whose
 * data says `poison: true` makes it throw, as a projection bug would.
 */
export function countingProjection(
  options: { name?: string; version?: number; delayMs?: number; categories?: string[] } = {},
): Projection {
  return {
    name: options.name ?? 'stream_counts',
    version: options.version ?? 1,
    ...(options.categories ? { filter: { categories: options.categories } } : {}),
    async setup(tx: SqlClient, schema: string) {
      await tx.query(
        `CREATE TABLE ${schema}.counts (stream text PRIMARY KEY, events integer NOT NULL, last_type text NOT NULL, version integer NOT NULL)`,
      );
    },
    async apply(tx: SqlClient, events: readonly RecordedEvent[], schema: string) {
      if (events.some((event) => event.data['poison'] === true))
        throw new TypeError('cannot read property of a poisoned event');
      if (options.delayMs)
        await new Promise((resolve) => {
          setTimeout(resolve, options.delayMs);
        });
      await tx.query(
        `INSERT INTO ${schema}.counts AS c (stream, events, last_type, version)
         SELECT stream, count(*), (array_agg(type ORDER BY ord DESC))[1], $4
           FROM unnest($1::text[], $2::text[], $3::int[]) AS t(stream, type, ord)
          GROUP BY stream
         ON CONFLICT (stream) DO UPDATE
           SET events = c.events + EXCLUDED.events, last_type = EXCLUDED.last_type, version = EXCLUDED.version`,
        [
          events.map((event) => event.stream),
          events.map((event) => event.type),
          events.map((_, index) => index),
          options.version ?? 1,
        ],
      );
    },
  };
}

export async function readCounts(
  db: SqlClient,
  schema: string,
): Promise<Record<string, { events: number; lastType: string }>> {
  const { rows } = await db.query<{ stream: string; events: number; last_type: string }>(
    `SELECT stream, events, last_type FROM ${schema}.counts ORDER BY stream`,
  );
  return Object.fromEntries(
    rows.map((row) => [row.stream, { events: row.events, lastType: row.last_type }]),
  );
}
