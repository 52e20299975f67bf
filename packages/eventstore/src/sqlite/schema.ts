import { migrateSqlite, type Migration } from '@waypoint/contracts/migrations';
import type Database from 'better-sqlite3';

/** The event store file's schema steps; the version is the file's `user_version`. */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'events table, immutability triggers',
    sql: /* sql */ `
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
  },
];

export function migrateEventFile(db: Database.Database): void {
  migrateSqlite(db, MIGRATIONS);
}
