import type { RecordedEvent } from '@waypoint/eventstore';
import pg from 'pg';
import type { EventSink } from '../consumer/consume-events.js';

/**
 * A read side as the projections package builds one: in one transaction, it records each event id
 * it has applied and applies the effect only for ids it had not seen. The effect table has no
 * unique key, so an effect applied twice would show as two rows.
 */
export class DedupSink {
  /** Every delivery the sink received, duplicates included. */
  delivered = 0;

  private constructor(private readonly pool: pg.Pool) {}

  static async create(connectionString: string): Promise<DedupSink> {
    const pool = new pg.Pool({ connectionString, max: 4 });
    // The test database is dropped WITH (FORCE): a connection it terminates is not an error.
    pool.on('error', () => undefined);
    await pool.query(`
      CREATE TABLE IF NOT EXISTS applied_events (event_id uuid PRIMARY KEY);
      CREATE TABLE IF NOT EXISTS effects (
        seq bigserial PRIMARY KEY, consumer text NOT NULL, event_id uuid NOT NULL,
        stream text NOT NULL, revision integer NOT NULL);
    `);
    return new DedupSink(pool);
  }

  /** The sink of one consumer (named, so that a test can see who applied what). */
  sinkFor(consumer: string): EventSink {
    return async (events: readonly RecordedEvent[]) => {
      this.delivered += events.length;
      const client = await this.pool.connect();
      try {
        await client.query('BEGIN');
        for (const event of events) {
          const fresh = await client.query(
            'INSERT INTO applied_events (event_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING event_id',
            [event.id],
          );
          if (fresh.rowCount === 1)
            await client.query(
              'INSERT INTO effects (consumer, event_id, stream, revision) VALUES ($1, $2, $3, $4)',
              [consumer, event.id, event.stream, event.revision],
            );
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    };
  }

  async effects(): Promise<
    { consumer: string; event_id: string; stream: string; revision: number }[]
  > {
    const { rows } = await this.pool.query<{
      consumer: string;
      event_id: string;
      stream: string;
      revision: number;
    }>('SELECT consumer, event_id, stream, revision FROM effects ORDER BY seq');
    return rows;
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
