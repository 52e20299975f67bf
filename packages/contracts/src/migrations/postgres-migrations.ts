import { inVersionOrder, type Migration } from './migration.js';

/**
 * What the runner needs from a PostgreSQL database: a `pg` Pool or Client, PGlite, or the
 * projections' `SqlDatabase`. No call needs the connection of the call before, so a pool will do.
 */
export interface PostgresMigrationDb {
  /** One statement with parameters; without parameters, `pg` also runs several at once. */
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  /** Several statements without parameters, where `query` takes only one (PGlite). */
  exec?(sql: string): Promise<unknown>;
}

export interface PostgresMigrationPlan {
  /**
   * The table that records the versions applied, with the columns (version integer PRIMARY KEY,
   * name text, applied_at timestamptz). Each schema that migrates on its own has its own table.
   */
  readonly table: string;
  /**
   * The advisory lock key (one bigint, or two integers) that makes processes starting together
   * take turns. Keep a key once released: a process of the previous release takes the same one.
   */
  readonly lock: readonly [number] | readonly [number, number];
  readonly migrations: readonly Migration[];
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const UNIQUE_VIOLATION = '23505';

function isUniqueViolationOf(error: unknown, constraint: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, constraint: violated } = error as { code?: unknown; constraint?: unknown };
  return code === UNIQUE_VIOLATION && violated === constraint;
}

const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/**
 * Applies the steps a database has not recorded yet, each in its own transaction that also
 * records it, and returns the versions this call applied.
 *
 * Each step runs as one script: take the plan's transaction-scoped advisory lock, record the
 * version, run the step. Processes starting together queue on the lock; when one finds that the
 * version was recorded while it waited, the table's primary key refuses the second record, the
 * script rolls back before the step ran, and that process moves on. So every step runs exactly
 * once and after the step before it, with no connection held between steps.
 */
export async function migratePostgres(
  db: PostgresMigrationDb,
  plan: PostgresMigrationPlan,
): Promise<number[]> {
  const { table } = plan;
  if (!IDENTIFIER.test(table))
    throw new Error(`migration table ${JSON.stringify(table)} is not a plain name`);
  const lock = `SELECT pg_advisory_xact_lock(${plan.lock.map(String).join(', ')});`;
  const migrations = inVersionOrder(plan.migrations);

  // A script of several statements is one round trip, which PostgreSQL runs as one transaction
  // (the simple query protocol): a failing statement undoes those before it.
  const script = async (sql: string): Promise<void> => {
    await (db.exec ? db.exec(sql) : db.query(sql));
  };

  // Under the lock, as two processes creating the same table at once would clash.
  await script(`${lock}
    CREATE TABLE IF NOT EXISTS ${table} (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    );`);
  const { rows } = await db.query(`SELECT version FROM ${table}`);
  const applied = new Set(rows.map((row) => (row as { version: number }).version));

  const done: number[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.version)) continue;
    try {
      await script(`${lock}
        INSERT INTO ${table} (version, name) VALUES (${String(migration.version)}, ${literal(migration.name)});
        ${migration.sql}`);
      done.push(migration.version);
    } catch (error) {
      // Another process applied this step while this one waited for the lock.
      if (!isUniqueViolationOf(error, `${table}_pkey`)) throw error;
    }
  }
  return done;
}
