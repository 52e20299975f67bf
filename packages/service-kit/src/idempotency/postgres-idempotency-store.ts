import { randomUUID } from 'node:crypto';
import {
  DEFAULT_CLAIM_TIMEOUT_MS,
  DEFAULT_RETENTION_MS,
  type Claim,
  type IdempotencyStore,
  type IdempotencyStoreOptions,
  type StoredResponse,
} from './idempotency-store.js';

/**
 * What the store needs from a PostgreSQL client: a `pg.Pool` (or `pg.Client`) fits. The kit does
 * not depend on `pg`; the service hands in the pool it already has.
 */
export interface SqlClient {
  query(
    text: string,
    values?: unknown[],
  ): Promise<{ readonly rows: unknown[]; readonly rowCount: number | null }>;
}

export interface PostgresIdempotencyStoreOptions extends IdempotencyStoreOptions {
  /** Table name; one per database is enough, the scope separates services and users. */
  readonly table?: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Idempotency records in PostgreSQL, so a retry that lands on another instance (or after a
 * restart) still replays. The claim is one `INSERT ... ON CONFLICT DO UPDATE ... WHERE`: a free,
 * expired or abandoned key is taken in the same statement that checks it, so two instances
 * cannot both run a request.
 */
export class PostgresIdempotencyStore implements IdempotencyStore {
  private constructor(
    private readonly sql: SqlClient,
    private readonly table: string,
    private readonly retentionSeconds: number,
    private readonly claimTimeoutSeconds: number,
  ) {}

  /** Creates the table when missing (safe when several instances start at once), then opens. */
  static async open(
    sql: SqlClient,
    options: PostgresIdempotencyStoreOptions = {},
  ): Promise<PostgresIdempotencyStore> {
    const table = options.table ?? 'wp_idempotency_keys';
    if (!IDENTIFIER.test(table)) throw new Error(`Not a plain table name: ${table}`);
    // One statement, so the advisory lock serialises concurrent CREATE ... IF NOT EXISTS, which
    // PostgreSQL does not make safe by itself (they race on the catalogue).
    await sql.query(`
      DO $$
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('waypoint:${table}'));
        CREATE TABLE IF NOT EXISTS ${table} (
          scope           text        NOT NULL,
          idempotency_key text        NOT NULL,
          request_hash    text        NOT NULL,
          claim_token     uuid,
          response        text,
          claimed_at      timestamptz NOT NULL,
          expires_at      timestamptz NOT NULL,
          PRIMARY KEY (scope, idempotency_key)
        );
        CREATE INDEX IF NOT EXISTS ${table}_expires_at ON ${table} (expires_at);
        -- When the request first claimed the key: kept when a claim is taken over (operation ids).
        ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS started_at timestamptz;
      END
      $$`);
    return new PostgresIdempotencyStore(
      sql,
      table,
      (options.retentionMs ?? DEFAULT_RETENTION_MS) / 1000,
      (options.claimTimeoutMs ?? DEFAULT_CLAIM_TIMEOUT_MS) / 1000,
    );
  }

  async claim(scope: string, key: string, requestHash: string): Promise<Claim> {
    // A record released between the failed claim and the read is claimable again: try once more.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const token = randomUUID();
      // Free: expired, or released (no owner) by another request. Resumable: the same request,
      // released or abandoned (its owner silent for claimTimeout); it keeps its started_at.
      const claimed = await this.sql.query(
        `INSERT INTO ${this.table} AS k
           (scope, idempotency_key, request_hash, claim_token, response, claimed_at, started_at,
            expires_at)
         VALUES ($1, $2, $3, $4, NULL, now(), now(), now() + make_interval(secs => $5))
         ON CONFLICT (scope, idempotency_key) DO UPDATE
           SET request_hash = EXCLUDED.request_hash, claim_token = EXCLUDED.claim_token,
               response = NULL, claimed_at = EXCLUDED.claimed_at, expires_at = EXCLUDED.expires_at,
               started_at = CASE
                 WHEN k.expires_at > now() AND k.request_hash = EXCLUDED.request_hash
                 THEN COALESCE(k.started_at, k.claimed_at)
                 ELSE EXCLUDED.started_at END
           WHERE k.expires_at <= now()
              OR (k.response IS NULL AND k.claim_token IS NULL)
              OR (k.response IS NULL AND k.request_hash = EXCLUDED.request_hash
                  AND k.claimed_at <= now() - make_interval(secs => $6))
         RETURNING claim_token, (extract(epoch FROM started_at) * 1000)::float8 AS started_ms,
                   started_at < claimed_at AS resumed`,
        [scope, key, requestHash, token, this.retentionSeconds, this.claimTimeoutSeconds],
      );
      const row = claimed.rows[0] as { started_ms: number; resumed: boolean } | undefined;
      if (row)
        return { outcome: 'claimed', token, startedAt: row.started_ms, resumed: row.resumed };
      const existing = await this.sql.query(
        `SELECT request_hash, response FROM ${this.table}
          WHERE scope = $1 AND idempotency_key = $2`,
        [scope, key],
      );
      const found = existing.rows[0] as
        { request_hash: string; response: string | null } | undefined;
      if (found === undefined) continue;
      return found.response === null
        ? { outcome: 'in_progress', requestHash: found.request_hash }
        : {
            outcome: 'completed',
            requestHash: found.request_hash,
            response: JSON.parse(found.response) as StoredResponse,
          };
    }
    throw new Error('The idempotency key kept changing hands; retry the request');
  }

  async complete(
    scope: string,
    key: string,
    token: string,
    response: StoredResponse,
  ): Promise<void> {
    // Text, not jsonb: jsonb reorders keys, and a replay must be the same body.
    await this.sql.query(
      `UPDATE ${this.table} SET response = $4, claim_token = NULL
        WHERE scope = $1 AND idempotency_key = $2 AND claim_token = $3`,
      [scope, key, token, JSON.stringify(response)],
    );
  }

  async release(scope: string, key: string, token: string): Promise<void> {
    // Kept, with no owner: the same request resumes it (same ids), another starts afresh.
    await this.sql.query(
      `UPDATE ${this.table} SET claim_token = NULL
        WHERE scope = $1 AND idempotency_key = $2 AND claim_token = $3 AND response IS NULL`,
      [scope, key, token],
    );
  }

  async purgeExpired(): Promise<number> {
    const result = await this.sql.query(`DELETE FROM ${this.table} WHERE expires_at <= now()`);
    return result.rowCount ?? 0;
  }
}
