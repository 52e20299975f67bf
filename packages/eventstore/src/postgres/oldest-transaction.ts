/** The part of a `pg` Pool (or client) the probe uses. */
export interface SqlQueryable {
  query(text: string): Promise<{ rows: unknown[] }>;
}

export interface OldestTransaction {
  /** Age in seconds of the oldest transaction open anywhere in the cluster (0 when none is). */
  readonly seconds: number;
  /**
   * The same, among transactions that hold a transaction id (they wrote, or asked for one). Only
   * these hold back `pg_snapshot_xmin`, so the store's readers: an open read-only transaction holds
   * back VACUUM, not them.
   */
  readonly writingSeconds: number;
}

/*
 * Cluster-wide, like the snapshot xmin it watches: every database's sessions, but not the probe's
 * own. A role sees `xact_start` and `backend_xid` of other roles' sessions only with
 * `pg_read_all_stats` (or `pg_monitor`); without it they count for nothing here.
 */
const PROBE = /* sql */ `
  SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(xact_start)), 0)::float8 AS seconds,
         COALESCE(EXTRACT(EPOCH FROM now() - min(xact_start) FILTER (WHERE backend_xid IS NOT NULL)), 0)::float8
           AS writing_seconds
    FROM pg_stat_activity
   WHERE state <> 'idle' AND xact_start IS NOT NULL AND pid <> pg_backend_pid()`;

/**
 * How long the oldest open transaction of the PostgreSQL cluster has been running. The store's
 * global log is read only below the cluster's snapshot xmin (see the README), so one transaction
 * left open anywhere in the cluster holds back every subscription of every database: the relay,
 * the projections, the journey facts. This is what to alert on before they visibly stall.
 */
export async function oldestOpenTransaction(db: SqlQueryable): Promise<OldestTransaction> {
  const { rows } = await db.query(PROBE);
  const row = rows[0] as { seconds: number; writing_seconds: number } | undefined;
  // A clock step back can make now() earlier than a start: never report a negative age.
  return {
    seconds: Math.max(0, row?.seconds ?? 0),
    writingSeconds: Math.max(0, row?.writing_seconds ?? 0),
  };
}
