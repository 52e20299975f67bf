import Database from 'better-sqlite3';
import {
  appendResultOf,
  checkExpectedRevision,
  detectReplay,
  nextRecordedAt,
} from '../append-rules.js';
import { BaseEventStore, type PreparedEvent } from '../base-event-store.js';
import { StoreLockedError } from '../errors.js';
import { chainHash } from '../hash-chain.js';
import { counterPosition, parseCounterPosition } from '../position.js';
import type { RecordedEvent } from '@waypoint/contracts';
import type {
  AppendResult,
  ExpectedRevision,
  ReadAllBatch,
  ReadAllFilter,
  ReadAllOptions,
} from '../types.js';
import type { AppendLimits } from '../validate-append.js';
import { migrateEventFile } from './schema.js';

export interface SqliteEventStoreOptions {
  /** The database file. It is created when missing. */
  readonly file: string;
  readonly now?: () => Date;
  readonly limits?: AppendLimits;
}

interface EventRow {
  position: number;
  stream: string;
  revision: number;
  id: string;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
  recorded_at: string;
  prev_hash: string | null;
  hash: string;
}

interface LogQuery {
  readonly statement: Database.Statement<unknown[], EventRow>;
  readonly params: readonly string[];
}

const COLUMNS =
  'position, stream, revision, id, type, schema_version, data, metadata, recorded_at, prev_hash, hash';

/**
 * The embedded event store: one SQLite file in WAL mode with synchronous=FULL, so an append is on
 * disk before it is acknowledged. The file is opened in exclusive locking mode: the OS lock is held
 * for the life of the process (and dropped if it dies), so a second process cannot write to it.
 */
export class SqliteEventStore extends BaseEventStore {
  private readonly db: Database.Database;
  private readonly now: () => Date;
  private readonly statements;
  private readonly logStatements = new Map<string, Database.Statement<unknown[], EventRow>>();
  /** A subscription passes the same filter object on every read: its query is built once. */
  private readonly logQueries = new WeakMap<ReadAllFilter, LogQuery>();
  private unfilteredLog: LogQuery | undefined;

  constructor(options: SqliteEventStoreOptions) {
    super(options.limits);
    this.now = options.now ?? (() => new Date());
    this.db = openExclusive(options.file);
    this.statements = {
      head: this.db.prepare<[string], EventRow>(
        `SELECT ${COLUMNS} FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1`,
      ),
      byId: this.db.prepare<[string], EventRow>(`SELECT ${COLUMNS} FROM events WHERE id = ?`),
      insert: this.db.prepare(
        `INSERT INTO events (stream, revision, id, type, schema_version, data, metadata, recorded_at, prev_hash, hash)
         VALUES (@stream, @revision, @id, @type, @schemaVersion, @data, @metadata, @recordedAt, @prevHash, @hash)`,
      ),
      forwards: this.db.prepare<[string, number, number], EventRow>(
        `SELECT ${COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?`,
      ),
      backwards: this.db.prepare<[string, number, number], EventRow>(
        `SELECT ${COLUMNS} FROM events WHERE stream = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
      ),
      last: this.db.prepare<[], { position: number }>(
        'SELECT max(position) AS position FROM events',
      ),
    };
  }

  protected appendPrepared(
    stream: string,
    expected: ExpectedRevision,
    events: readonly PreparedEvent[],
  ): Promise<AppendResult> {
    const write = this.db.transaction((): AppendResult => {
      const headRow = this.statements.head.get(stream);
      const head = headRow ? toRecordedEvent(headRow) : undefined;
      const headRevision = head?.revision ?? null;
      const replay = detectReplay(
        stream,
        expected,
        events.map(({ event }) => event.id),
        events.map(({ event }) => {
          const row = this.statements.byId.get(event.id);
          return row ? toRecordedEvent(row) : undefined;
        }),
        headRevision,
      );
      if (replay) return appendResultOf(replay, true);
      checkExpectedRevision(stream, expected, headRevision);
      const recordedAt = nextRecordedAt(this.now(), head?.metadata.recordedAt);
      let prevHash = head?.hash ?? null;
      let revision = headRevision ?? -1;
      let position = 0n;
      for (const { event, dataJson, metadataJson, payloadHash } of events) {
        revision += 1;
        const hash = chainHash(prevHash, revision, recordedAt, payloadHash);
        const info = this.statements.insert.run({
          stream,
          revision,
          id: event.id,
          type: event.type,
          schemaVersion: event.schemaVersion,
          data: dataJson,
          metadata: metadataJson,
          recordedAt,
          prevHash,
          hash,
        });
        position = BigInt(info.lastInsertRowid);
        prevHash = hash;
      }
      return {
        revision,
        position: counterPosition(position),
        recordedAt,
        hash: prevHash ?? '',
        replayed: false,
      };
    });
    try {
      return Promise.resolve(write.immediate());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  protected readStreamPage(
    stream: string,
    from: number,
    direction: 'forwards' | 'backwards',
    limit: number,
  ): Promise<RecordedEvent[]> {
    const statement =
      direction === 'forwards' ? this.statements.forwards : this.statements.backwards;
    return Promise.resolve(statement.all(stream, from, limit).map(toRecordedEvent));
  }

  protected readAllPage(
    options: ReadAllOptions & { readonly maxCount: number },
  ): Promise<ReadAllBatch> {
    // One writer, and it commits before anyone reads: the rowid order is the commit order.
    const from = Number(parseCounterPosition(options.from ?? ''));
    const { statement, params } = this.logOf(options.filter);
    const rows = statement.all(from, ...params, options.maxCount);
    const full = rows.length >= options.maxCount;
    const lastRead = rows.at(-1)?.position ?? from;
    const end = full ? lastRead : Math.max(this.statements.last.get()?.position ?? 0, lastRead);
    const position = end === 0 ? (options.from ?? '') : counterPosition(end);
    return Promise.resolve({ events: rows.map(toRecordedEvent), position, endOfLog: !full });
  }

  /**
   * The log after a position, filtered in SQLite: a subscriber that reads a few categories never
   * has the others' rows (their payloads) copied into JavaScript only to be dropped. One statement
   * per filter, prepared once (a process has a handful of filters).
   */
  private logOf(filter: ReadAllFilter | undefined): LogQuery {
    if (filter === undefined) return (this.unfilteredLog ??= this.logQuery(undefined));
    let query = this.logQueries.get(filter);
    if (!query) {
      query = this.logQuery(filter);
      this.logQueries.set(filter, query);
    }
    return query;
  }

  private logQuery(filter: ReadAllFilter | undefined): LogQuery {
    const conditions: string[] = [];
    const params: string[] = [];
    if (filter?.categories) {
      const prefixes = filter.categories.map((category) => `${category}-`);
      conditions.push(
        prefixes.length === 0
          ? '0'
          : `(${prefixes.map(() => 'substr(stream, 1, length(?)) = ?').join(' OR ')})`,
      );
      for (const prefix of prefixes) params.push(prefix, prefix);
    }
    if (filter?.eventTypes) {
      conditions.push(
        filter.eventTypes.length === 0
          ? '0'
          : `type IN (${filter.eventTypes.map(() => '?').join(', ')})`,
      );
      params.push(...filter.eventTypes);
    }
    const sql = `SELECT ${COLUMNS} FROM events WHERE position > ?${conditions
      .map((condition) => ` AND ${condition}`)
      .join('')} ORDER BY position LIMIT ?`;
    let statement = this.logStatements.get(sql);
    if (!statement) {
      statement = this.db.prepare<unknown[], EventRow>(sql);
      this.logStatements.set(sql, statement);
    }
    return { statement, params };
  }

  /**
   * Runs `work` with commits that skip the fsync (synchronous=NORMAL: after a power loss the file
   * stays consistent but the last commits may be gone), then restores synchronous=FULL and
   * checkpoints, so everything written is on disk again. Only for bulk loads that can be redone,
   * such as the embedded mode's demo data.
   */
  async withRelaxedDurability<T>(work: () => Promise<T>): Promise<T> {
    this.assertOpen();
    this.db.pragma('synchronous = NORMAL');
    try {
      return await work();
    } finally {
      if (this.db.open) {
        this.db.pragma('synchronous = FULL');
        this.db.pragma('wal_checkpoint(FULL)');
      }
    }
  }

  streamRevision(stream: string): Promise<number | null> {
    this.assertOpen();
    return Promise.resolve(this.statements.head.get(stream)?.revision ?? null);
  }

  protected closeStorage(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }
}

function openExclusive(file: string): Database.Database {
  const db = new Database(file);
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // The first write takes the exclusive lock and keeps it until the connection closes.
    migrateEventFile(db);
    return db;
  } catch (error) {
    db.close();
    if (
      error instanceof Error &&
      'code' in error &&
      (error.code === 'SQLITE_BUSY' || error.code === 'SQLITE_LOCKED')
    ) {
      throw new StoreLockedError(file);
    }
    throw error;
  }
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    type: row.type,
    schemaVersion: row.schema_version,
    data: JSON.parse(row.data) as RecordedEvent['data'],
    metadata: {
      ...(JSON.parse(row.metadata) as Omit<RecordedEvent['metadata'], 'recordedAt'>),
      recordedAt: row.recorded_at,
    },
    stream: row.stream,
    revision: row.revision,
    position: counterPosition(row.position),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
