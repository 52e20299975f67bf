import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import {
  DEFAULT_CLAIM_TIMEOUT_MS,
  DEFAULT_RETENTION_MS,
  type Claim,
  type IdempotencyStore,
  type IdempotencyStoreOptions,
  type StoredResponse,
} from './idempotency-store.js';

interface Row {
  request_hash: string;
  token: string | null;
  response: string | null;
  claimed_at: number;
  started_at: number | null;
  expires_at: number;
}

/** Files made before requests could resume lack `started_at`: added in place, rows kept. */
function migrate(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS idempotency (
    scope TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL, token TEXT,
    response TEXT, claimed_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
    PRIMARY KEY (scope, key)) STRICT`);
  const columns = db.prepare<[], { name: string }>('PRAGMA table_info(idempotency)').all();
  if (!columns.some((column) => column.name === 'started_at')) {
    // When the request first claimed the key: kept when a claim is taken over (operation ids).
    db.exec('ALTER TABLE idempotency ADD COLUMN started_at INTEGER');
  }
}

/**
 * Idempotency-Key records of the embedded mode, in their own SQLite file in the data folder, so
 * that a client retrying after the process restarted still gets its first answer back instead of
 * running the command twice. Same rules as the memory and PostgreSQL stores (one contract),
 * resumption included: a claim whose runner died (silent for `claimTimeoutMs`) or that was
 * released is taken over by the same request with the start of its first claim and `resumed`,
 * so the run that takes over makes the first run's ids and finds what it appended.
 */
export class SqliteIdempotencyStore implements IdempotencyStore {
  private readonly db: Database.Database;
  private readonly retentionMs: number;
  private readonly claimTimeoutMs: number;

  constructor(
    file: string,
    options: IdempotencyStoreOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.claimTimeoutMs = options.claimTimeoutMs ?? DEFAULT_CLAIM_TIMEOUT_MS;
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    migrate(this.db);
  }

  claim(scope: string, key: string, requestHash: string): Promise<Claim> {
    const claim = this.db.transaction((): Claim => {
      const now = this.now();
      const existing = this.db
        .prepare<[string, string], Row>(
          `SELECT request_hash, token, response, claimed_at, started_at, expires_at
             FROM idempotency WHERE scope = ? AND key = ?`,
        )
        .get(scope, key);
      const live = existing !== undefined && existing.expires_at > now;
      const unanswered = live && existing.response === null;
      const released = unanswered && existing.token === null;
      const abandoned = unanswered && existing.claimed_at + this.claimTimeoutMs <= now;
      // The same request, after its runner failed or died: it may have appended, so it resumes.
      const resumed = (released || abandoned) && existing.request_hash === requestHash;
      if (!live || released || resumed) {
        const token = randomUUID();
        const startedAt = resumed ? (existing.started_at ?? existing.claimed_at) : now;
        this.db
          .prepare(
            `INSERT INTO idempotency
               (scope, key, request_hash, token, response, claimed_at, started_at, expires_at)
             VALUES (?, ?, ?, ?, NULL, ?, ?, ?)
             ON CONFLICT (scope, key) DO UPDATE SET request_hash = excluded.request_hash,
               token = excluded.token, response = NULL, claimed_at = excluded.claimed_at,
               started_at = excluded.started_at, expires_at = excluded.expires_at`,
          )
          .run(scope, key, requestHash, token, now, startedAt, now + this.retentionMs);
        return { outcome: 'claimed', token, startedAt, resumed };
      }
      return existing.response === null
        ? { outcome: 'in_progress', requestHash: existing.request_hash }
        : {
            outcome: 'completed',
            requestHash: existing.request_hash,
            response: JSON.parse(existing.response) as StoredResponse,
          };
    });
    return Promise.resolve(claim.immediate());
  }

  complete(scope: string, key: string, token: string, response: StoredResponse): Promise<void> {
    this.db
      .prepare(
        'UPDATE idempotency SET token = NULL, response = ? WHERE scope = ? AND key = ? AND token = ?',
      )
      .run(JSON.stringify(response), scope, key, token);
    return Promise.resolve();
  }

  release(scope: string, key: string, token: string): Promise<void> {
    // Kept, with no owner: the same request resumes it (same ids), another starts afresh.
    this.db
      .prepare(
        `UPDATE idempotency SET token = NULL
          WHERE scope = ? AND key = ? AND token = ? AND response IS NULL`,
      )
      .run(scope, key, token);
    return Promise.resolve();
  }

  purgeExpired(): Promise<number> {
    return Promise.resolve(
      this.db.prepare('DELETE FROM idempotency WHERE expires_at <= ?').run(this.now()).changes,
    );
  }

  close(): void {
    this.db.close();
  }
}
