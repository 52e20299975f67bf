import type { ReadAllFilter, RecordedEvent } from '@waypoint/eventstore';

/** A row as a driver returns it. */
export type Row = Record<string, unknown>;

/** The part of a PostgreSQL connection a projection uses: the same SQL on a server and in PGlite. */
export interface SqlClient {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the row shape it expects, as with pg's own query<R>
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<{ rows: R[] }>;
}

/** A held session lock: `lost` resolves if the connection holding it dies. */
export interface HeldLock {
  readonly lost: Promise<void>;
  release(): Promise<void>;
}

/** A read-model database: PostgreSQL on a server (`pg`) or PGlite in embedded mode. */
export interface SqlDatabase extends SqlClient {
  readonly dialect: 'postgres' | 'pglite';
  /** Runs `work` in one transaction: it commits when `work` resolves and rolls back when it throws. */
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>;
  /** Runs several statements without parameters (DDL). */
  exec(sql: string): Promise<void>;
  /** A lock held by this process until released or its connection dies; null when another holds it. */
  tryLock(key: string): Promise<HeldLock | null>;
  close(): Promise<void>;
}

/**
 * A read model built from the global log. `setup` creates its tables in a schema of its own (one
 * per generation, so that a rebuild fills fresh tables while the old ones serve); `apply` turns a
 * batch of events, in log order, into SQL, inside the transaction that also moves the checkpoint.
 * Tables are always named through `schema` (already quoted): `${schema}.timeline`.
 */
export interface Projection {
  /** Lower case letters, digits and underscores; unique in the database. */
  readonly name: string;
  /** Bump it when the tables or what `apply` writes change: the read model is then rebuilt. */
  readonly version: number;
  /** Only these events are read; the checkpoint still moves past the others. */
  readonly filter?: ReadAllFilter;
  setup(tx: SqlClient, schema: string): Promise<void>;
  apply(tx: SqlClient, events: readonly RecordedEvent[], schema: string): Promise<void>;
}
