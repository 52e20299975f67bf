import { migratePostgres, type Migration } from '@waypoint/contracts/migrations';
import type pg from 'pg';

/**
 * The event store's schema steps, applied in order at start-up by the shared runner, recorded in
 * `wp_schema_migrations` under advisory lock (1465, 1): processes starting together take turns,
 * and each step runs exactly once.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'events table, append function, immutability triggers',
    sql: /* sql */ `
      CREATE TABLE wp_events (
        global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        -- The writing transaction's id: readers only read below the oldest running one (see README).
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        stream text NOT NULL,
        revision bigint NOT NULL,
        id uuid NOT NULL,
        type text NOT NULL,
        schema_version integer NOT NULL,
        data jsonb NOT NULL,
        metadata jsonb NOT NULL,
        recorded_at timestamptz NOT NULL,
        prev_hash text,
        hash text NOT NULL,
        CONSTRAINT wp_events_stream_revision UNIQUE (stream, revision),
        CONSTRAINT wp_events_id UNIQUE (id)
      );
      CREATE INDEX wp_events_log ON wp_events (transaction_id, global_position);

      CREATE FUNCTION wp_events_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'wp_events is append-only: % refused', TG_OP USING ERRCODE = 'WP003';
      END $$;
      CREATE TRIGGER wp_events_no_update_or_delete BEFORE UPDATE OR DELETE ON wp_events
        FOR EACH ROW EXECUTE FUNCTION wp_events_immutable();
      CREATE TRIGGER wp_events_no_truncate BEFORE TRUNCATE ON wp_events
        FOR EACH STATEMENT EXECUTE FUNCTION wp_events_immutable();

      -- One round trip per append: lock the stream, recognise a retried append, check the expected
      -- revision, chain the hashes and insert. Kept to three SQL statements on the common path:
      -- every statement a PL/pgSQL function runs costs CPU that 2-core machines feel.
      -- Errors: WP001 wrong expected revision (detail: the actual revision or no_stream), WP002
      -- event ids stored by another append (detail: the ids), 40001 retry the transaction.
      CREATE FUNCTION wp_append(
        p_stream text, p_expected text, p_ids uuid[], p_types text[], p_versions int[],
        p_payload_hashes text[], p_bodies jsonb)
      RETURNS TABLE (revision bigint, global_position bigint, transaction_id text, recorded_at timestamptz, hash text, replayed boolean)
      LANGUAGE plpgsql AS $$
      DECLARE
        v_count int := cardinality(p_ids);
        v_seen boolean;
        v_first bigint;
        v_matching int;
        v_head_rev bigint;
        v_head_hash text;
        v_head_recorded timestamptz;
        v_head_xid xid8;
        v_recorded timestamptz;
        v_recorded_text text;
        v_prev text;
        v_rev bigint;
        v_revs bigint[] := '{}';
        v_prevs text[] := '{}';
        v_hashes text[] := '{}';
      BEGIN
        PERFORM pg_advisory_xact_lock(1464, hashtext(p_stream));

        SELECT h.revision, h.hash, h.recorded_at, h.transaction_id,
               EXISTS (SELECT 1 FROM wp_events d WHERE d.id = ANY (p_ids))
          INTO v_head_rev, v_head_hash, v_head_recorded, v_head_xid, v_seen
          FROM (VALUES (1)) AS one (x)
          LEFT JOIN LATERAL (
            SELECT e.revision, e.hash, e.recorded_at, e.transaction_id FROM wp_events e
             WHERE e.stream = p_stream ORDER BY e.revision DESC LIMIT 1
          ) AS h ON true;

        IF v_seen THEN
          SELECT e.revision INTO v_first FROM wp_events e WHERE e.id = p_ids[1] AND e.stream = p_stream;
          SELECT count(*) INTO v_matching
            FROM unnest(p_ids) WITH ORDINALITY AS t(id, ord)
            JOIN wp_events e ON e.id = t.id
            WHERE e.stream = p_stream AND e.revision = v_first + t.ord - 1;
          IF v_first IS NULL OR v_matching <> v_count THEN
            RAISE EXCEPTION 'event ids already stored by another append' USING ERRCODE = 'WP002',
              DETAIL = (SELECT string_agg(e.id::text, ',') FROM wp_events e WHERE e.id = ANY (p_ids));
          END IF;
          IF NOT (p_expected IN ('any', 'stream_exists')
                  OR (p_expected = 'no_stream' AND v_first = 0)
                  OR (p_expected ~ '^[0-9]+$' AND p_expected::bigint = v_first - 1)) THEN
            RAISE EXCEPTION 'wrong expected revision' USING ERRCODE = 'WP001',
              DETAIL = coalesce(v_head_rev::text, 'no_stream');
          END IF;
          RETURN QUERY SELECT e.revision, e.global_position, e.transaction_id::text, e.recorded_at, e.hash, true
            FROM wp_events e WHERE e.id = p_ids[v_count];
          RETURN;
        END IF;

        IF NOT (p_expected = 'any'
                OR (p_expected = 'no_stream' AND v_head_rev IS NULL)
                OR (p_expected = 'stream_exists' AND v_head_rev IS NOT NULL)
                OR (p_expected ~ '^[0-9]+$' AND p_expected::bigint IS NOT DISTINCT FROM v_head_rev)) THEN
          RAISE EXCEPTION 'wrong expected revision' USING ERRCODE = 'WP001',
            DETAIL = coalesce(v_head_rev::text, 'no_stream');
        END IF;

        -- Readers order the log by transaction id. A transaction that took its id before the stream's
        -- last writer (it wrote to another stream first, then waited for this one) would sort before
        -- that writer's events: refuse, so that the caller retries the whole transaction.
        IF v_head_xid > pg_current_xact_id() THEN
          RAISE EXCEPTION 'stream % was written by a newer transaction; retry', p_stream USING ERRCODE = '40001';
        END IF;

        -- The store's clock never runs backwards within a stream; millisecond precision, so that
        -- the text hashed here is the text every reader sees.
        v_recorded := greatest(date_trunc('milliseconds', clock_timestamp()), v_head_recorded);
        v_recorded_text := to_char(v_recorded AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
        v_prev := v_head_hash;
        v_rev := coalesce(v_head_rev, -1);
        FOR i IN 1 .. v_count LOOP
          v_rev := v_rev + 1;
          v_revs[i] := v_rev;
          v_prevs[i] := v_prev;
          v_prev := encode(sha256(convert_to(
            coalesce(v_prev, '') || E'\\n' || v_rev::text || E'\\n' || v_recorded_text || E'\\n' || p_payload_hashes[i],
            'UTF8')), 'hex');
          v_hashes[i] := v_prev;
        END LOOP;

        INSERT INTO wp_events (stream, revision, id, type, schema_version, data, metadata, recorded_at, prev_hash, hash)
        SELECT p_stream, t.rev, t.id, t.type, t.ver, p_bodies -> (t.ord::int - 1) -> 'data',
               p_bodies -> (t.ord::int - 1) -> 'metadata', v_recorded, t.prev, t.hash
          FROM unnest(v_revs, p_ids, p_types, p_versions, v_prevs, v_hashes)
               WITH ORDINALITY AS t(rev, id, type, ver, prev, hash, ord)
         ORDER BY t.ord;

        revision := v_rev;
        global_position := lastval();
        transaction_id := pg_current_xact_id()::text;
        recorded_at := v_recorded;
        hash := v_prev;
        replayed := false;
        RETURN NEXT;
      END $$;
      -- A plan cached while the table was small (a sequential scan) would be kept as it grows,
      -- turning the stream-head and event-id lookups into scans of the whole log. Every lookup
      -- here has an index; ruling out sequential scans keeps cached plans on them at any size.
      ALTER FUNCTION wp_append SET enable_seqscan = off;
    `,
  },
];

/** Applies the migrations that are not yet applied. Safe to call from several processes at once. */
export function migrate(pool: pg.Pool): Promise<number[]> {
  return migratePostgres(pool, {
    table: 'wp_schema_migrations',
    lock: [1465, 1],
    migrations: MIGRATIONS,
  });
}
