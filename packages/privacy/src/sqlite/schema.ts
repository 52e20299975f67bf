import { migrateSqlite, type Migration } from '@waypoint/contracts/migrations';
import type Database from 'better-sqlite3';

/** The key store file's schema steps (the key store has a file of its own); the version is its `user_version`. */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'person keys with tombstones, destruction log',
    sql: /* sql */ `
      CREATE TABLE wp_person_keys (
        subject TEXT NOT NULL,
        category TEXT NOT NULL CHECK (category IN ('identity', 'location', 'health', 'legal', 'notes')),
        kid TEXT,
        wrapped BLOB,
        created_at TEXT NOT NULL,
        rewrapped_at TEXT,
        destroyed_at TEXT,
        PRIMARY KEY (subject, category),
        CHECK ((destroyed_at IS NULL AND kid IS NOT NULL AND wrapped IS NOT NULL)
            OR (destroyed_at IS NOT NULL AND kid IS NULL AND wrapped IS NULL))
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE wp_key_destructions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        subject TEXT NOT NULL,
        category TEXT NOT NULL,
        destroyed_at TEXT NOT NULL,
        reason TEXT NOT NULL,
        UNIQUE (subject, category)
      ) STRICT;

      -- A tombstone never turns back into a key, and keys are never deleted.
      CREATE TRIGGER wp_person_keys_no_resurrection BEFORE UPDATE ON wp_person_keys
        WHEN OLD.destroyed_at IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'wp_person_keys: a destroyed key never comes back'); END;
      CREATE TRIGGER wp_person_keys_no_delete BEFORE DELETE ON wp_person_keys
        BEGIN SELECT RAISE(ABORT, 'wp_person_keys: keys are never deleted, they are destroyed'); END;
      CREATE TRIGGER wp_key_destructions_no_update BEFORE UPDATE ON wp_key_destructions
        BEGIN SELECT RAISE(ABORT, 'wp_key_destructions is append-only: UPDATE refused'); END;
      CREATE TRIGGER wp_key_destructions_no_delete BEFORE DELETE ON wp_key_destructions
        BEGIN SELECT RAISE(ABORT, 'wp_key_destructions is append-only: DELETE refused'); END;
    `,
  },
];

export function migrateKeyFile(db: Database.Database): void {
  migrateSqlite(db, MIGRATIONS);
}
