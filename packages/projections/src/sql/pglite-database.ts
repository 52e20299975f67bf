import { PGlite } from '@electric-sql/pglite';
import type { HeldLock, Row, SqlClient, SqlDatabase } from '../types.js';

/**
 * A read-model database in PGlite (PostgreSQL compiled to WebAssembly), in memory or in a folder:
 * the embedded mode's read models, in the same SQL as the server mode. One process owns it, so
 * locks are kept in memory.
 */
export class PgliteDatabase implements SqlDatabase {
  readonly dialect = 'pglite' as const;
  private readonly locks = new Set<string>();

  private constructor(private readonly db: PGlite) {}

  static async open(dataDir?: string): Promise<PgliteDatabase> {
    const db = dataDir === undefined ? new PGlite() : new PGlite(dataDir);
    await db.waitReady;
    return new PgliteDatabase(db);
  }

  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the row shape it expects, as with pg's own query<R>
  async query<R extends Row = Row>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<{ rows: R[] }> {
    const result = await this.db.query<R>(sql, params as unknown[] | undefined);
    return { rows: result.rows };
  }

  async exec(sql: string): Promise<void> {
    await this.db.exec(sql);
  }

  async transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    return this.db.transaction(async (transaction) =>
      work({
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the row shape it expects, as with pg's own query<R>
        query: async <R extends Row = Row>(sql: string, params?: readonly unknown[]) => {
          const result = await transaction.query<R>(sql, params as unknown[] | undefined);
          return { rows: result.rows };
        },
      }),
    );
  }

  tryLock(key: string): Promise<HeldLock | null> {
    if (this.locks.has(key)) return Promise.resolve(null);
    this.locks.add(key);
    return Promise.resolve({
      lost: new Promise<void>(() => undefined),
      release: () => {
        this.locks.delete(key);
        return Promise.resolve();
      },
    });
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}

export async function createPgliteDatabase(dataDir?: string): Promise<SqlDatabase> {
  return PgliteDatabase.open(dataDir);
}
