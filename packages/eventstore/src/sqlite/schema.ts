import type Database from 'better-sqlite3';

/** Versioned migrations, tracked in SQLite's user_version and applied inside one write transaction. */
const MIGRATIONS: readonly string[] = [
  /* sql */ `
    CREATE TABLE events (
      position INTEGER PRIMARY KEY,
      stream TEXT NOT NULL,
      revision INTEGER NOT NULL,
      id TEXT NOT NULL,
      type TEXT NOT NULL,
      schema_version INTEGER NOT NULL,
      data TEXT NOT NULL,
      metadata TEXT NOT NULL,
      recorded_at TEXT NOT NULL,
      prev_hash TEXT,
      hash TEXT NOT NULL,
      CONSTRAINT events_stream_revision UNIQUE (stream, revision),
      CONSTRAINT events_id UNIQUE (id)
    ) STRICT;
    CREATE TRIGGER events_no_update BEFORE UPDATE ON events
      BEGIN SELECT RAISE(ABORT, 'events is append-only: UPDATE refused'); END;
    CREATE TRIGGER events_no_delete BEFORE DELETE ON events
      BEGIN SELECT RAISE(ABORT, 'events is append-only: DELETE refused'); END;
  `,
];

export function migrateSqlite(db: Database.Database): void {
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    MIGRATIONS.slice(current).forEach((sql, index) => {
      db.exec(sql);
      db.pragma(`user_version = ${String(current + index + 1)}`);
    });
  }).immediate();
}
