import pg from 'pg';
import { BaseEventStore, type PreparedEvent } from '../base-event-store.js';
import { DuplicateEventIdError, WrongExpectedRevisionError } from '../errors.js';
import type { EventMetadata, JsonObject, NewEvent, RecordedEvent } from '@waypoint/contracts';
import type {
  AppendOptions,
  AppendResult,
  ExpectedRevision,
  ReadAllBatch,
  ReadAllOptions,
} from '../types.js';
import type { AppendLimits } from '../validate-append.js';
import { migrate } from './migrations.js';
import { Listener, Notifier } from './notifier.js';
import { fromPosition, toPosition } from './positions.js';

export interface PostgresEventStoreOptions {
  readonly connectionString: string;
  /** Connections for appends and reads. */
  readonly poolSize?: number;
  readonly limits?: AppendLimits;
  /** Apply schema migrations on open (default true). */
  readonly migrate?: boolean;
}

/** Appends inside a transaction the caller controls (see `transaction`). */
export interface PostgresTransaction {
  append(
    stream: string,
    events: readonly NewEvent[],
    options?: AppendOptions,
  ): Promise<AppendResult>;
  readonly client: pg.PoolClient;
}

interface AppendRow {
  revision: string;
  global_position: string;
  transaction_id: string;
  recorded_at: Date;
  hash: string;
  replayed: boolean;
}

interface EventRow {
  global_position: string;
  transaction_id: string;
  stream: string;
  revision: string;
  id: string;
  type: string;
  schema_version: number;
  data: JsonObject;
  metadata: Omit<EventMetadata, 'recordedAt'>;
  recorded_at: Date;
  prev_hash: string | null;
  hash: string;
}

/** The head of the log, and an event when the page has one (LEFT JOIN: all null otherwise). */
type LogRow = { [Column in keyof EventRow]: EventRow[Column] | null } & {
  head_xid: string;
  head_gp: string;
};

const EVENT_COLUMNS = `e.global_position, e.transaction_id::text AS transaction_id, e.stream, e.revision, e.id,
  e.type, e.schema_version, e.data, e.metadata, e.recorded_at, e.prev_hash, e.hash`;

/**
 * The event store on PostgreSQL. See README.md for how the global log stays gapless under
 * concurrent writers: readers only read events of transactions older than the oldest running one.
 */
export class PostgresEventStore extends BaseEventStore {
  private readonly notifier: Notifier;
  private readonly listener: Listener;

  private constructor(
    private readonly pool: pg.Pool,
    options: PostgresEventStoreOptions,
  ) {
    super(options.limits);
    this.notifier = new Notifier(pool);
    this.listener = new Listener({ connectionString: options.connectionString }, () => {
      this.wake.notifyAll();
    });
  }

  static async open(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      application_name: 'waypoint-eventstore',
    });
    // An idle client that loses its connection must not take the process down.
    pool.on('error', () => undefined);
    try {
      if (options.migrate ?? true) await migrate(pool);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresEventStore(pool, options);
  }

  /**
   * Runs `work` in one transaction: every append inside commits together or not at all.
   * Keep it short: an open writing transaction holds back every reader of the log.
   * When PostgreSQL asks for a retry (a serialisation failure or a deadlock) the whole of `work`
   * runs again, up to `maxAttempts` times, so it must not have effects outside the transaction.
   */
  async transaction<T>(work: (tx: PostgresTransaction) => Promise<T>, maxAttempts = 3): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.transactionOnce(work);
      } catch (error) {
        const retryable =
          error instanceof pg.DatabaseError && (error.code === '40001' || error.code === '40P01');
        if (!retryable || attempt >= maxAttempts) throw error;
      }
    }
  }

  private async transactionOnce<T>(work: (tx: PostgresTransaction) => Promise<T>): Promise<T> {
    this.assertOpen();
    const client = await this.pool.connect();
    const outcome = { appended: false };
    try {
      await client.query('BEGIN');
      const result = await work({
        client,
        append: async (stream, events, options) => {
          const prepared = this.prepareAppend(stream, events, options);
          const result = await this.appendWith(
            client,
            prepared.stream,
            prepared.expected,
            prepared.events,
          );
          if (!result.replayed) outcome.appended = true;
          return result;
        },
      });
      await client.query('COMMIT');
      if (outcome.appended) this.afterCommit();
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  protected async appendPrepared(
    stream: string,
    expected: ExpectedRevision,
    events: readonly PreparedEvent[],
  ): Promise<AppendResult> {
    const result = await this.appendWith(this.pool, stream, expected, events);
    if (!result.replayed) this.notifier.poke();
    return result;
  }

  private afterCommit(): void {
    this.wake.notifyAll();
    this.notifier.poke();
  }

  private async appendWith(
    queryable: pg.Pool | pg.PoolClient,
    stream: string,
    expected: ExpectedRevision,
    events: readonly PreparedEvent[],
  ): Promise<AppendResult> {
    const bodies = `[${events.map(({ dataJson, metadataJson }) => `{"data":${dataJson},"metadata":${metadataJson}}`).join(',')}]`;
    try {
      // A named statement: parsed once per connection, not on every append.
      const { rows } = await queryable.query<AppendRow>({
        name: 'wp_append',
        text: 'SELECT * FROM wp_append($1, $2, $3::uuid[], $4::text[], $5::int[], $6::text[], $7::jsonb)',
        values: [
          stream,
          String(expected),
          events.map(({ event }) => event.id),
          events.map(({ event }) => event.type),
          events.map(({ event }) => event.schemaVersion),
          events.map(({ payloadHash }) => payloadHash),
          bodies,
        ],
      });
      const row = rows[0];
      if (!row) throw new Error('wp_append returned no row');
      return {
        revision: Number(row.revision),
        position: toPosition({
          transactionId: row.transaction_id,
          globalPosition: row.global_position,
        }),
        recordedAt: row.recorded_at.toISOString(),
        hash: row.hash,
        replayed: row.replayed,
      };
    } catch (error) {
      throw translateError(error, stream, expected, events);
    }
  }

  protected async readStreamPage(
    stream: string,
    from: number,
    direction: 'forwards' | 'backwards',
    limit: number,
  ): Promise<RecordedEvent[]> {
    const sql =
      direction === 'forwards'
        ? `SELECT ${EVENT_COLUMNS} FROM wp_events e WHERE e.stream = $1 AND e.revision >= $2 ORDER BY e.revision LIMIT $3`
        : `SELECT ${EVENT_COLUMNS} FROM wp_events e WHERE e.stream = $1 AND e.revision <= $2 ORDER BY e.revision DESC LIMIT $3`;
    const { rows } = await this.pool.query<EventRow>(sql, [stream, from, limit]);
    return rows.map(toRecordedEvent);
  }

  /**
   * One statement, so one snapshot: the head is the last event of a transaction older than every
   * running one, and the page never reaches past it. An event below the head can no longer appear.
   */
  protected async readAllPage(
    options: ReadAllOptions & { readonly maxCount: number },
  ): Promise<ReadAllBatch> {
    const from = fromPosition(options.from ?? '');
    const categories = options.filter?.categories?.map((category) => `${category}-`) ?? null;
    const types = options.filter?.eventTypes ?? null;
    const { rows } = await this.pool.query<LogRow>(
      `WITH head AS (
         SELECT transaction_id, global_position FROM wp_events
          WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
          ORDER BY transaction_id DESC, global_position DESC LIMIT 1
       )
       SELECT h.transaction_id::text AS head_xid, h.global_position AS head_gp, b.*
         FROM head h
         LEFT JOIN LATERAL (
           SELECT ${EVENT_COLUMNS} FROM wp_events e
            WHERE (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)
              AND (e.transaction_id, e.global_position) <= (h.transaction_id, h.global_position)
              AND ($4::text[] IS NULL OR e.type = ANY ($4::text[]))
              AND ($5::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest($5::text[]) AS c WHERE starts_with(e.stream, c)))
            ORDER BY e.transaction_id, e.global_position
            LIMIT $3
         ) b ON true`,
      [from.transactionId, from.globalPosition, options.maxCount, types, categories],
    );
    const first = rows[0];
    if (!first) return { events: [], position: options.from ?? '', endOfLog: true };
    const events = rows
      .filter((row): row is LogRow & EventRow => row.id !== null)
      .map(toRecordedEvent);
    const last = events[events.length - 1];
    const full = events.length >= options.maxCount && options.maxCount > 0;
    const head = toPosition({ transactionId: first.head_xid, globalPosition: first.head_gp });
    const position = full && last ? last.position : head;
    // A start position beyond the head (an empty page) keeps the reader where it was.
    return {
      events,
      position: position < (options.from ?? '') ? (options.from ?? '') : position,
      endOfLog: !full,
    };
  }

  async streamRevision(stream: string): Promise<number | null> {
    this.assertOpen();
    const { rows } = await this.pool.query<{ revision: string }>(
      'SELECT revision FROM wp_events WHERE stream = $1 ORDER BY revision DESC LIMIT 1',
      [stream],
    );
    return rows[0] ? Number(rows[0].revision) : null;
  }

  protected override onSubscriptionStarted(): void {
    this.listener.ensureStarted();
  }

  protected async closeStorage(): Promise<void> {
    await this.listener.close();
    await this.pool.end();
  }
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: { ...row.metadata, recordedAt: row.recorded_at.toISOString() },
    stream: row.stream,
    revision: Number(row.revision),
    position: toPosition({
      transactionId: row.transaction_id,
      globalPosition: row.global_position,
    }),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function translateError(
  error: unknown,
  stream: string,
  expected: ExpectedRevision,
  events: readonly PreparedEvent[],
): unknown {
  if (!(error instanceof pg.DatabaseError)) return error;
  if (error.code === 'WP001') {
    const actual =
      error.detail === 'no_stream' || error.detail === undefined
        ? 'no_stream'
        : Number(error.detail);
    return new WrongExpectedRevisionError(stream, expected, actual);
  }
  if (error.code === 'WP002')
    return new DuplicateEventIdError(stream, (error.detail ?? '').split(','));
  // Two streams given the same event id at the same moment: the loser meets the unique index.
  if (error.code === '23505' && error.constraint === 'wp_events_id') {
    return new DuplicateEventIdError(
      stream,
      events.map(({ event }) => event.id),
    );
  }
  return error;
}
