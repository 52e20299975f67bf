import { migratePostgres, type Migration } from '@waypoint/contracts/migrations';
import type pg from 'pg';

/** Serialises destructions, so that log sequence numbers commit in order (see tombstone). */
export const DESTRUCTION_LOCK = [1465, 3] as const;

/**
 * The key store's schema steps, applied by the shared runner under advisory lock (1465, 2) so that
 * processes starting together take turns. The key store may share a database with the events, so
 * it keeps its own migrations table (`wp_key_schema_migrations`) and lock.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'person keys with tombstones, destruction log',
    sql: /* sql */ `
      CREATE TABLE wp_person_keys (
        subject text NOT NULL,
        category text NOT NULL CHECK (category IN ('identity', 'location', 'health', 'legal', 'notes')),
        -- The master key the data key is wrapped under; a rotation moves rows from one to the next.
        kid text,
        -- iv ‖ AES-256-GCM(master key, data key, aad = subject and category) ‖ tag.
        wrapped bytea,
        created_at timestamptz NOT NULL DEFAULT now(),
        rewrapped_at timestamptz,
        -- Set once: the row is then a tombstone that stops the key from ever being created again.
        destroyed_at timestamptz,
        PRIMARY KEY (subject, category),
        CONSTRAINT wp_person_keys_live_or_tombstone CHECK (
          (destroyed_at IS NULL AND kid IS NOT NULL AND wrapped IS NOT NULL)
          OR (destroyed_at IS NOT NULL AND kid IS NULL AND wrapped IS NULL))
      );
      CREATE INDEX wp_person_keys_kid ON wp_person_keys (kid) WHERE kid IS NOT NULL;

      CREATE TABLE wp_key_destructions (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        subject text NOT NULL,
        category text NOT NULL,
        destroyed_at timestamptz NOT NULL,
        reason text NOT NULL,
        CONSTRAINT wp_key_destructions_once UNIQUE (subject, category)
      );

      -- Defence in depth against a bug or a careless operator: a tombstone never turns back into a
      -- key, and keys are never deleted (a deleted tombstone would let the key be created again).
      CREATE FUNCTION wp_person_keys_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.destroyed_at IS NULL THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'wp_person_keys: % refused, a destroyed key never comes back and keys are never deleted', TG_OP
          USING ERRCODE = 'WP101';
      END $$;
      CREATE TRIGGER wp_person_keys_guard BEFORE UPDATE OR DELETE ON wp_person_keys
        FOR EACH ROW EXECUTE FUNCTION wp_person_keys_guard();
      CREATE TRIGGER wp_person_keys_no_truncate BEFORE TRUNCATE ON wp_person_keys
        FOR EACH STATEMENT EXECUTE FUNCTION wp_person_keys_guard();

      CREATE FUNCTION wp_key_destructions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'wp_key_destructions is append-only: % refused', TG_OP USING ERRCODE = 'WP102';
      END $$;
      CREATE TRIGGER wp_key_destructions_no_update_or_delete BEFORE UPDATE OR DELETE ON wp_key_destructions
        FOR EACH ROW EXECUTE FUNCTION wp_key_destructions_append_only();
      CREATE TRIGGER wp_key_destructions_no_truncate BEFORE TRUNCATE ON wp_key_destructions
        FOR EACH STATEMENT EXECUTE FUNCTION wp_key_destructions_append_only();
    `,
  },
];

/** Applies the migrations that are not yet applied. Safe to call from several processes at once. */
export function migrate(pool: pg.Pool): Promise<number[]> {
  return migratePostgres(pool, {
    table: 'wp_key_schema_migrations',
    lock: [1465, 2],
    migrations: MIGRATIONS,
  });
}
