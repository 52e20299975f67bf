import { inVersionOrder, type Migration } from './migration.js';

/** What the runner needs from a SQLite database: a `better-sqlite3` Database. */
export interface SqliteMigrationDb {
  exec(sql: string): unknown;
  pragma(source: string, options: { simple: true }): unknown;
  readonly inTransaction: boolean;
}

/**
 * Applies the steps a database file has not recorded yet and returns the versions applied. The
 * version is SQLite's `user_version` in the file header (each store has a file of its own), set to
 * each step's version as it is applied. All pending steps run in one immediate (write-locking)
 * transaction, so a second process waits, then finds them applied; a failing step leaves the file
 * as it was.
 */
export function migrateSqlite(db: SqliteMigrationDb, migrations: readonly Migration[]): number[] {
  const ordered = inVersionOrder(migrations);
  db.exec('BEGIN IMMEDIATE');
  try {
    const current = Number(db.pragma('user_version', { simple: true }));
    const done: number[] = [];
    for (const migration of ordered) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      db.pragma(`user_version = ${String(migration.version)}`, { simple: true });
      done.push(migration.version);
    }
    db.exec('COMMIT');
    return done;
  } catch (error) {
    // Some errors end the transaction themselves; roll back only what is still open.
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
