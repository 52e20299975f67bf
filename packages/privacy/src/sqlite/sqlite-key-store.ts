import type { Category } from '@waypoint/contracts';
import Database from 'better-sqlite3';
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
import { migrateKeyFile } from './schema.js';

export interface SqliteKeyStoreOptions extends KeyStoreOptions {
  /** The key store's own file, not the events' one. Created when missing. */
  readonly file: string;
}

interface LogRow {
  seq: number;
  subject: string;
  category: Category;
  destroyed_at: string;
  reason: string;
}

interface WrappedRow {
  subject: string;
  category: Category;
  kid: string;
  wrapped: Buffer;
}

const LOG_COLUMNS = 'seq, subject, category, destroyed_at, reason';

/**
 * The embedded key store: its own SQLite file, WAL with synchronous=FULL so that a destruction is
 * on disk before it is acknowledged, and secure_delete so that a destroyed key's bytes are
 * overwritten in the file rather than left in a free page.
 */
export class SqliteKeyStore extends BaseKeyStore {
  private readonly db: Database.Database;
  private readonly clock: () => Date;
  private readonly statements;

  constructor(options: SqliteKeyStoreOptions) {
    super(options);
    this.db = open(options.file);
    this.clock = options.now ?? (() => new Date());
    const db = this.db;
    this.statements = {
      load: db.prepare<[string, string], { kid: string | null; wrapped: Buffer | null }>(
        'SELECT kid, wrapped FROM wp_person_keys WHERE subject = ? AND category = ?',
      ),
      insert: db.prepare<[string, string, string, Buffer, string]>(
        `INSERT INTO wp_person_keys (subject, category, kid, wrapped, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (subject, category) DO NOTHING`,
      ),
      tombstone: db.prepare<[string, string, string, string]>(
        `INSERT INTO wp_person_keys (subject, category, kid, wrapped, created_at, destroyed_at)
         VALUES (?, ?, NULL, NULL, ?, ?)
         ON CONFLICT (subject, category) DO UPDATE
           SET kid = NULL, wrapped = NULL, destroyed_at = excluded.destroyed_at
           WHERE destroyed_at IS NULL`,
      ),
      logged: db.prepare<[string, string], LogRow>(
        `SELECT ${LOG_COLUMNS} FROM wp_key_destructions WHERE subject = ? AND category = ?`,
      ),
      log: db.prepare<[string, string, string, string], LogRow>(
        `INSERT INTO wp_key_destructions (subject, category, destroyed_at, reason) VALUES (?, ?, ?, ?)
         RETURNING ${LOG_COLUMNS}`,
      ),
      readLog: db.prepare<[number], LogRow>(
        `SELECT ${LOG_COLUMNS} FROM wp_key_destructions WHERE seq > ? ORDER BY seq`,
      ),
      firstNotUnder: db.prepare<[{ kid: string; limit: number }], WrappedRow>(
        `SELECT subject, category, kid, wrapped FROM wp_person_keys
          WHERE kid IS NOT NULL AND kid <> @kid ORDER BY subject, category LIMIT @limit`,
      ),
      nextNotUnder: db.prepare<
        [{ kid: string; subject: string; category: string; limit: number }],
        WrappedRow
      >(
        `SELECT subject, category, kid, wrapped FROM wp_person_keys
          WHERE (subject, category) > (@subject, @category) AND kid IS NOT NULL AND kid <> @kid
          ORDER BY subject, category LIMIT @limit`,
      ),
      rewrap: db.prepare<[string, Buffer, string, string, string, string]>(
        `UPDATE wp_person_keys SET kid = ?, wrapped = ?, rewrapped_at = ?
          WHERE subject = ? AND category = ? AND kid = ?`,
      ),
    };
  }

  /**
   * Runs `work` with commits that skip the fsync (synchronous=NORMAL; WAL keeps the file
   * consistent, a process crash loses nothing, a power cut may lose the last keys made): for data
   * that can be made again, the embedded demo, whose events go in under the event store's own
   * `withRelaxedDurability`. Full durability is back, and the WAL checkpointed, before it returns.
   */
  async withRelaxedDurability<T>(work: () => Promise<T>): Promise<T> {
    this.db.pragma('synchronous = NORMAL');
    try {
      return await work();
    } finally {
      if (this.db.open) {
        this.db.pragma('synchronous = FULL');
        this.db.pragma('wal_checkpoint(FULL)');
      }
    }
  }

  protected load(subject: string, category: Category): Promise<StoredKey> {
    return attempt(() => {
      const row = this.statements.load.get(subject, category);
      if (!row) return null;
      return row.kid === null || row.wrapped === null
        ? 'destroyed'
        : { kid: row.kid, wrapped: row.wrapped };
    });
  }

  protected insertIfAbsent(subject: string, category: Category, key: WrappedKey): Promise<boolean> {
    return attempt(
      () =>
        this.statements.insert.run(
          subject,
          category,
          key.kid,
          key.wrapped,
          this.clock().toISOString(),
        ).changes === 1,
    );
  }

  protected tombstone(request: TombstoneRequest): Promise<Tombstoned[]> {
    const { subject, reason, destroyedAt } = request;
    return attempt(() => {
      const results = this.db
        .transaction(() =>
          request.categories.map((category) => {
            const { changes } = this.statements.tombstone.run(
              subject,
              category,
              destroyedAt,
              destroyedAt,
            );
            const row =
              this.statements.logged.get(subject, category) ??
              this.statements.log.get(subject, category, destroyedAt, reason);
            if (!row) throw new Error('The destruction log entry was not written');
            return { destruction: toDestruction(row), destroyedNow: changes === 1 };
          }),
        )
        .immediate();
      // Copy the overwritten pages into the file and empty the WAL, so that the old page images
      // holding the wrapped key do not linger there. Best effort: a concurrent reader may defer it.
      if (results.some((result) => result.destroyedNow)) {
        this.db.pragma('wal_checkpoint(TRUNCATE)');
      }
      return results;
    });
  }

  protected readLog(afterSeq: number): Promise<KeyDestruction[]> {
    return attempt(() => this.statements.readLog.all(afterSeq).map(toDestruction));
  }

  protected wrappedNotUnder(
    kid: string,
    after: { readonly subject: string; readonly category: string } | null,
    limit: number,
  ): Promise<StoredWrappedKey[]> {
    return attempt(() =>
      after
        ? this.statements.nextNotUnder.all({
            kid,
            limit,
            subject: after.subject,
            category: after.category,
          })
        : this.statements.firstNotUnder.all({ kid, limit }),
    );
  }

  protected replaceWrapped(rewraps: readonly Rewrap[]): Promise<number> {
    const at = this.clock().toISOString();
    return attempt(() =>
      this.db
        .transaction(() =>
          rewraps.reduce(
            (changed, { subject, category, fromKid, to }) =>
              changed +
              this.statements.rewrap.run(to.kid, to.wrapped, at, subject, category, fromKid)
                .changes,
            0,
          ),
        )
        .immediate(),
    );
  }

  protected closeStorage(): Promise<void> {
    return attempt(() => {
      this.db.close();
    });
  }
}

function open(file: string): Database.Database {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('secure_delete = ON');
    // Several processes may share the file (rare, but a CLI next to the service): wait, not fail.
    db.pragma('busy_timeout = 5000');
    migrateKeyFile(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** better-sqlite3 is synchronous: turn a throw into a rejected promise, as the port promises. */
function attempt<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

function toDestruction(row: LogRow): KeyDestruction {
  return {
    seq: row.seq,
    subject: row.subject,
    category: row.category,
    destroyedAt: row.destroyed_at,
    reason: row.reason,
  };
}
