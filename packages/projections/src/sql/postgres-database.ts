import pg from 'pg';
import type { HeldLock, Row, SqlClient, SqlDatabase } from '../types.js';

export interface PostgresDatabaseOptions {
  readonly connectionString: string;
  /** Connections in the pool (readers and writers). Default 10. */
  readonly max?: number;
}

/** A read-model database on a PostgreSQL server, through a `pg` pool. */
export class PostgresDatabase implements SqlDatabase {
  readonly dialect = 'postgres' as const;
  private readonly pool: pg.Pool;

  constructor(private readonly options: PostgresDatabaseOptions) {
    this.pool = new pg.Pool({ connectionString: options.connectionString, max: options.max ?? 10 });
    // A connection the server ends (restart, DROP DATABASE) surfaces on the next query instead.
    this.pool.on('error', () => undefined);
  }

  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the row shape it expects, as with pg's own query<R>
  async query<R extends Row = Row>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<{ rows: R[] }> {
    const result = await this.pool.query<R>(sql, params as unknown[] | undefined);
    return { rows: result.rows };
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const tx: SqlClient = {
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the row shape it expects, as with pg's own query<R>
        query: async <R extends Row = Row>(sql: string, params?: readonly unknown[]) => {
          const result = await client.query<R>(sql, params as unknown[] | undefined);
          return { rows: result.rows };
        },
      };
      const value = await work(tx);
      await client.query('COMMIT');
      return value;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /**
   * A session advisory lock on a connection of its own, outside the pool: it is held as long as
   * that connection lives, so a process that dies (even by kill -9) lets another take over.
   */
  async tryLock(key: string): Promise<HeldLock | null> {
    const client = new pg.Client({ connectionString: this.options.connectionString });
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
    const result = await client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock(7301, hashtext($1)) AS locked',
      [key],
    );
    if (result.rows[0]?.locked !== true) {
      await client.end();
      return null;
    }
    return {
      lost,
      release: async () => {
        try {
          await client.query('SELECT pg_advisory_unlock(7301, hashtext($1))', [key]);
        } finally {
          await client.end().catch(() => undefined);
        }
      },
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export function createPostgresDatabase(connectionString: string, max?: number): SqlDatabase {
  return new PostgresDatabase(max === undefined ? { connectionString } : { connectionString, max });
}
