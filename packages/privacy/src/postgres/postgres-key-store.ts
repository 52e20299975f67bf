import type { Category } from '@waypoint/contracts';
import pg from 'pg';
import {
  BaseKeyStore,
  type Rewrap,
  type StoredKey,
  type StoredWrappedKey,
  type TombstoneRequest,
  type Tombstoned,
} from '../base-key-store.js';
import type { KeyDestruction, KeyStoreOptions } from '../key-store.js';
import type { WrappedKey } from '../key-wrap.js';
import { DESTRUCTION_LOCK, migrate } from './migrations.js';

export interface PostgresKeyStoreOptions extends KeyStoreOptions {
  /** The key store's database; better not the events' one, so that one leak is not both. */
  readonly connectionString: string;
  readonly poolSize?: number;
  /** Apply schema migrations on open (default true). */
  readonly migrate?: boolean;
}

interface KeyRow {
  kid: string | null;
  wrapped: Buffer | null;
}

interface LogRow {
  seq: string;
  subject: string;
  category: Category;
  destroyed_at: Date;
  reason: string;
}

const LOG_COLUMNS = 'seq, subject, category, destroyed_at, reason';

/**
 * The key store on PostgreSQL, in its own tables (`wp_person_keys`, `wp_key_destructions`).
 * Destroying a key overwrites the row with a tombstone; the old row version stays on disk until
 * VACUUM and in WAL archives and base backups until they expire (see README.md).
 */
export class PostgresKeyStore extends BaseKeyStore {
  private constructor(
    private readonly pool: pg.Pool,
    options: PostgresKeyStoreOptions,
  ) {
    super(options);
  }

  static async open(options: PostgresKeyStoreOptions): Promise<PostgresKeyStore> {
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 5,
      application_name: 'waypoint-keystore',
    });
    // An idle client that loses its connection must not take the process down.
    pool.on('error', () => undefined);
    try {
      if (options.migrate ?? true) await migrate(pool);
      return new PostgresKeyStore(pool, options);
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  protected async load(subject: string, category: Category): Promise<StoredKey> {
    const { rows } = await this.pool.query<KeyRow>(
      'SELECT kid, wrapped FROM wp_person_keys WHERE subject = $1 AND category = $2',
      [subject, category],
    );
    const row = rows[0];
    if (!row) return null;
    return row.kid === null || row.wrapped === null
      ? 'destroyed'
      : { kid: row.kid, wrapped: row.wrapped };
  }

  protected async insertIfAbsent(
    subject: string,
    category: Category,
    key: WrappedKey,
  ): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO wp_person_keys (subject, category, kid, wrapped) VALUES ($1, $2, $3, $4)
       ON CONFLICT (subject, category) DO NOTHING`,
      [subject, category, key.kid, key.wrapped],
    );
    return rowCount === 1;
  }

  protected async tombstone(request: TombstoneRequest): Promise<Tombstoned[]> {
    return this.inTransaction(async (client) => {
      // Destructions are rare: taking turns makes log sequence numbers commit in order, so a reader
      // of destructions(afterSeq) never passes a number that a slower transaction commits later.
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...DESTRUCTION_LOCK]);
      const results: Tombstoned[] = [];
      for (const category of request.categories) {
        const destroyed = await client.query(
          `INSERT INTO wp_person_keys (subject, category, kid, wrapped, destroyed_at)
           VALUES ($1, $2, NULL, NULL, $3)
           ON CONFLICT (subject, category) DO UPDATE
             SET kid = NULL, wrapped = NULL, destroyed_at = EXCLUDED.destroyed_at
             WHERE wp_person_keys.destroyed_at IS NULL`,
          [request.subject, category, request.destroyedAt],
        );
        const logged = await client.query<LogRow>(
          `SELECT ${LOG_COLUMNS} FROM wp_key_destructions WHERE subject = $1 AND category = $2`,
          [request.subject, category],
        );
        const existing = logged.rows[0];
        const row =
          existing ??
          (
            await client.query<LogRow>(
              `INSERT INTO wp_key_destructions (subject, category, destroyed_at, reason)
               VALUES ($1, $2, $3, $4) RETURNING ${LOG_COLUMNS}`,
              [request.subject, category, request.destroyedAt, request.reason],
            )
          ).rows[0];
        if (!row) throw new Error('The destruction log entry was not written');
        results.push({ destruction: toDestruction(row), destroyedNow: destroyed.rowCount === 1 });
      }
      return results;
    });
  }

  protected async readLog(afterSeq: number): Promise<KeyDestruction[]> {
    const { rows } = await this.pool.query<LogRow>(
      `SELECT ${LOG_COLUMNS} FROM wp_key_destructions WHERE seq > $1 ORDER BY seq`,
      [afterSeq],
    );
    return rows.map(toDestruction);
  }

  protected async wrappedNotUnder(
    kid: string,
    after: { readonly subject: string; readonly category: string } | null,
    limit: number,
  ): Promise<StoredWrappedKey[]> {
    // Keyset pagination on the primary key: each batch is an index range scan, whatever the size.
    const { rows } = await this.pool.query<{
      subject: string;
      category: Category;
      kid: string;
      wrapped: Buffer;
    }>(
      `SELECT subject, category, kid, wrapped FROM wp_person_keys
        WHERE ${after ? '(subject, category) > ($3, $4) AND' : ''} kid IS NOT NULL AND kid <> $1
        ORDER BY subject, category LIMIT $2`,
      after ? [kid, limit, after.subject, after.category] : [kid, limit],
    );
    return rows;
  }

  protected async replaceWrapped(rewraps: readonly Rewrap[]): Promise<number> {
    return this.inTransaction(async (client) => {
      let changed = 0;
      for (const { subject, category, fromKid, to } of rewraps) {
        const { rowCount } = await client.query(
          `UPDATE wp_person_keys SET kid = $4, wrapped = $5, rewrapped_at = now()
            WHERE subject = $1 AND category = $2 AND kid = $3`,
          [subject, category, fromKid, to.kid, to.wrapped],
        );
        changed += rowCount ?? 0;
      }
      return changed;
    });
  }

  protected async closeStorage(): Promise<void> {
    await this.pool.end();
  }

  private async inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

function toDestruction(row: LogRow): KeyDestruction {
  return {
    seq: Number(row.seq),
    subject: row.subject,
    category: row.category,
    destroyedAt: row.destroyed_at.toISOString(),
    reason: row.reason,
  };
}
