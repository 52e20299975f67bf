/**
 * `pnpm bench eventstore`: the store with all its guarantees (ordering, idempotency, hash chain)
 * against raw inserts and reads of the same row shape with the same indexes, in the same run.
 *
 * (a) single-event appends, 8 concurrent writers over 1,000 streams
 * (b) 100-event appends, 8 writers
 * (c) read and fold one 10,000-event stream
 * (d) catch-up read of the whole global log (PostgreSQL; at least 200,000 events)
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { newEventId, type EventStore, type NewEvent } from '@waypoint/eventstore';
import { EsdbEventStore, RawEsdbClient } from '@waypoint/eventstore/esdb';
import { PostgresEventStore } from '@waypoint/eventstore/postgres';
import { SqliteEventStore } from '@waypoint/eventstore/sqlite';
import { createTestDatabase, findPostgres } from '@waypoint/testing';
import {
  Latencies,
  peakRssDuring,
  processPeakRssMb,
  round,
  writeResult,
  type Workload,
} from './report.js';

const WRITERS = 8;
const STREAMS = 1_000;
const SINGLE_APPENDS_PER_WRITER = 2_500;
const BATCH_APPENDS_PER_WRITER = 250;
const BATCH = 100;
const FOLD_STREAM_EVENTS = 10_000;
const FOLD_REPEATS = 15;
const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** An event shaped like ours: codes in clear, personal data as an encrypted envelope. */
function benchEvent(n: number): NewEvent {
  return {
    id: newEventId(),
    type: 'IndicatorObserved',
    schemaVersion: 1,
    data: {
      journeyId: '0193d3b1-7c2e-7a31-9f0e-2b6c1d4e5f60',
      indicator: 'restricted-movement',
      source: 'outreach',
      n,
      notes: {
        enc: 'v1',
        key: 'notes',
        iv: 'AAAAAAAAAAAAAAAA',
        tag: 'BBBBBBBBBBBBBBBBBBBBBB==',
        ct: 'C'.repeat(160),
      },
    },
    metadata: {
      occurredAt: '2026-03-01T10:00:00.000Z',
      actor: { userId: 'u-17', role: 'caseworker', orgId: 'org-3' },
      correlationId: 'c0193d3b1-7c2e',
      causationId: 'c0193d3b1-7c2f',
    },
  };
}

interface RawRow {
  stream: string;
  revision: number;
  event: NewEvent;
}

interface Measured {
  seconds: number;
  p50: number;
  p99: number;
  /** CPU time per operation, in microseconds, of this process and of the PostgreSQL server. */
  clientCpuUs: number;
  serverCpuUs: number | null;
}

/**
 * CPU seconds used so far by the local PostgreSQL server's processes, or null when they cannot
 * be read (another machine, another user): the profile that says where append time goes.
 */
function serverCpuSeconds(): number | null {
  try {
    let ticks = 0;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let stat: string;
      try {
        if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('postgres')) continue;
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue;
      }
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    }
    return ticks / 100;
  } catch {
    return null;
  }
}

/**
 * Two contenders, each run by `writers` concurrent loops, interleaved in rounds so that the
 * machine's drift (these VMs are noisy) falls on both alike.
 */
async function headToHead(
  writers: number,
  perWriter: number,
  rounds: number,
  contenders: {
    raw: (writer: number, index: number) => Promise<void>;
    store: (writer: number, index: number) => Promise<void>;
  },
): Promise<{ raw: Measured; store: Measured }> {
  const totals = {
    raw: { seconds: 0, latencies: new Latencies(), client: 0, server: 0 },
    store: { seconds: 0, latencies: new Latencies(), client: 0, server: 0 },
  };
  const perRound = Math.ceil(perWriter / rounds);
  let serverKnown = true;
  for (let round = 0; round < rounds; round += 1) {
    for (const side of ['raw', 'store'] as const) {
      const total = totals[side];
      const operation = contenders[side];
      const cpuBefore = process.cpuUsage();
      const serverBefore = serverCpuSeconds();
      const started = performance.now();
      await Promise.all(
        Array.from({ length: writers }, async (_, writer) => {
          for (let step = 0; step < perRound; step += 1) {
            const index = round * perRound + step;
            if (index < perWriter) await total.latencies.time(() => operation(writer, index));
          }
        }),
      );
      total.seconds += (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      total.client += (cpu.user + cpu.system) / 1e6;
      const serverAfter = serverCpuSeconds();
      if (serverBefore === null || serverAfter === null) serverKnown = false;
      else total.server += serverAfter - serverBefore;
    }
  }
  const operations = writers * perWriter;
  const summarise = (total: (typeof totals)['raw']): Measured => ({
    seconds: total.seconds,
    ...total.latencies.summary(),
    clientCpuUs: round((total.client / operations) * 1e6, 0),
    serverCpuUs: serverKnown ? round((total.server / operations) * 1e6, 0) : null,
  });
  return { raw: summarise(totals.raw), store: summarise(totals.store) };
}

function throughputRow(
  name: string,
  adapter: string,
  events: number,
  { store, raw }: { store: Measured; raw: Measured },
): Workload {
  const value = events / store.seconds;
  const baseline = events / raw.seconds;
  const cpu = (side: Measured): string =>
    `client ${String(side.clientCpuUs)} us` +
    (side.serverCpuUs === null ? '' : `, server ${String(side.serverCpuUs)} us`);
  return {
    name,
    adapter,
    unit: 'events/s',
    value: round(value),
    p50_ms: store.p50,
    p99_ms: store.p99,
    baseline: round(baseline),
    ratio: round(value / baseline, 3),
    note: `CPU per append: store ${cpu(store)}; raw ${cpu(raw)}`,
  };
}

function foldRow(name: string, adapter: string, store: Latencies, raw: Latencies): Workload {
  const s = store.summary();
  const r = raw.summary();
  return {
    name,
    adapter,
    unit: 'ms',
    value: round(s.p50, 3),
    p50_ms: s.p50,
    p99_ms: s.p99,
    baseline: round(r.p50, 3),
    ratio: round(r.p50 / s.p50, 3),
  };
}

/** Folds as a decider would: a running state built from every event. */
function fold(
  state: { count: number; sum: number },
  data: unknown,
): { count: number; sum: number } {
  const n = (data as { n?: number }).n ?? 0;
  return { count: state.count + 1, sum: state.sum + n };
}

// ---------------------------------------------------------------- PostgreSQL

const RAW_TABLE = `
  CREATE TABLE raw_events (
    global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stream text NOT NULL, revision bigint NOT NULL, id uuid NOT NULL, type text NOT NULL,
    schema_version integer NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(), prev_hash text, hash text NOT NULL,
    UNIQUE (stream, revision), UNIQUE (id)
  )`;

function rawInsertSql(rows: number): string {
  const values = Array.from({ length: rows }, (_, row) => {
    const base = row * 7;
    return `($${String(base + 1)}, $${String(base + 2)}, $${String(base + 3)}, $${String(base + 4)}, $${String(base + 5)}, $${String(base + 6)}, $${String(base + 7)}, 'h')`;
  });
  return `INSERT INTO raw_events (stream, revision, id, type, schema_version, data, metadata, hash) VALUES ${values.join(', ')}`;
}

function rawParams(rows: readonly RawRow[]): unknown[] {
  return rows.flatMap(({ stream, revision, event }) => [
    stream,
    revision,
    event.id,
    event.type,
    event.schemaVersion,
    JSON.stringify(event.data),
    JSON.stringify(event.metadata),
  ]);
}

async function benchPostgres(): Promise<Workload[]> {
  const found = await findPostgres();
  if ('missing' in found) {
    out(`skipping PostgreSQL: ${found.missing}`);
    return [];
  }
  const database = await createTestDatabase(found.adminUrl, 'wp_bench');
  const pool = new pg.Pool({ connectionString: database.url, max: WRITERS + 2 });
  const store = await PostgresEventStore.open({
    connectionString: database.url,
    poolSize: WRITERS + 2,
  });
  const rows: Workload[] = [];
  try {
    await pool.query(RAW_TABLE);
    const single = rawInsertSql(1);
    const hundred = rawInsertSql(BATCH);
    const revisions = new Map<string, number>();
    const streamFor = (prefix: string, writer: number, index: number): string =>
      `${prefix}-${String(writer + WRITERS * (index % (STREAMS / WRITERS)))}`;

    out('postgres (a) single-event appends...');
    const a = await headToHead(WRITERS, SINGLE_APPENDS_PER_WRITER, 5, {
      raw: async (writer, index) => {
        const stream = streamFor('rawa', writer, index);
        const revision = (revisions.get(stream) ?? -1) + 1;
        revisions.set(stream, revision);
        await pool.query(single, rawParams([{ stream, revision, event: benchEvent(index) }]));
      },
      store: async (writer, index) => {
        const stream = streamFor('journey', writer, index);
        const head = revisions.get(stream);
        const result = await store.append(stream, [benchEvent(index)], {
          expectedRevision: head ?? 'no_stream',
        });
        revisions.set(stream, result.revision);
      },
    });
    rows.push(
      throughputRow(
        '(a) single-event appends, 8 writers, 1,000 streams',
        'postgres',
        WRITERS * SINGLE_APPENDS_PER_WRITER,
        a,
      ),
    );

    out('postgres (b) 100-event appends...');
    const b = await headToHead(WRITERS, BATCH_APPENDS_PER_WRITER, 5, {
      raw: async (writer, index) => {
        const stream = `rawb-${String(writer)}-${String(index)}`;
        await pool.query(
          hundred,
          rawParams(
            Array.from({ length: BATCH }, (_, revision) => ({
              stream,
              revision,
              event: benchEvent(revision),
            })),
          ),
        );
      },
      store: async (writer, index) => {
        await store.append(
          `batch-${String(writer)}-${String(index)}`,
          Array.from({ length: BATCH }, (_, n) => benchEvent(n)),
          {
            expectedRevision: 'no_stream',
          },
        );
      },
    });
    rows.push(
      throughputRow(
        '(b) 100-event appends, 8 writers',
        'postgres',
        WRITERS * BATCH_APPENDS_PER_WRITER * BATCH,
        b,
      ),
    );

    out('postgres (c) read and fold a 10,000-event stream...');
    const long = 'long-1';
    for (let start = 0; start < FOLD_STREAM_EVENTS; start += BATCH) {
      await store.append(
        long,
        Array.from({ length: BATCH }, (_, n) => benchEvent(start + n)),
      );
      await pool.query(
        hundred,
        rawParams(
          Array.from({ length: BATCH }, (_, n) => ({
            stream: 'rawlong-1',
            revision: start + n,
            event: benchEvent(start + n),
          })),
        ),
      );
    }
    const storeC = new Latencies();
    const rawC = new Latencies();
    for (let repeat = 0; repeat < FOLD_REPEATS; repeat += 1) {
      await rawC.time(async () => {
        const { rows: events } = await pool.query<{ data: unknown }>(
          'SELECT global_position, stream, revision, id, type, schema_version, data, metadata, recorded_at, prev_hash, hash FROM raw_events WHERE stream = $1 ORDER BY revision',
          ['rawlong-1'],
        );
        let state = { count: 0, sum: 0 };
        for (const event of events) state = fold(state, event.data);
        if (state.count !== FOLD_STREAM_EVENTS)
          throw new Error('raw fold read the wrong number of events');
      });
      await storeC.time(async () => {
        let state = { count: 0, sum: 0 };
        for await (const event of store.readStream(long)) state = fold(state, event.data);
        if (state.count !== FOLD_STREAM_EVENTS)
          throw new Error('store fold read the wrong number of events');
      });
    }
    rows.push(foldRow('(c) read and fold one 10,000-event stream', 'postgres', storeC, rawC));

    out('postgres (d) catch-up read of the global log...');
    const total = Number(
      (await pool.query<{ n: string }>('SELECT count(*) AS n FROM wp_events')).rows[0]?.n ?? 0,
    );
    const rawD = await peakRssDuring(async () => {
      const started = performance.now();
      let after = 0;
      let count = 0;
      for (;;) {
        const { rows: page } = await pool.query<{ global_position: string }>(
          'SELECT global_position, stream, revision, id, type, schema_version, data, metadata, recorded_at, prev_hash, hash FROM wp_events WHERE global_position > $1 ORDER BY global_position LIMIT 1000',
          [after],
        );
        const last = page[page.length - 1];
        if (!last) break;
        count += page.length;
        after = Number(last.global_position);
      }
      return { count, seconds: (performance.now() - started) / 1000 };
    });
    const reader = await PostgresEventStore.open({
      connectionString: database.url,
      poolSize: 2,
      migrate: false,
    });
    const storeD = await peakRssDuring(async () => {
      const started = performance.now();
      let count = 0;
      for await (const event of (reader as EventStore).readAll()) {
        if (event.revision >= 0) count += 1;
      }
      return { count, seconds: (performance.now() - started) / 1000 };
    });
    await reader.close();
    if (storeD.result.count !== total || rawD.result.count !== total)
      throw new Error('catch-up read a different number of events');
    const value = total / storeD.result.seconds;
    const baseline = total / rawD.result.seconds;
    rows.push({
      name: `(d) catch-up read of the global log (${String(total)} events)`,
      adapter: 'postgres',
      unit: 'events/s',
      value: round(value),
      p50_ms: null,
      p99_ms: null,
      baseline: round(baseline),
      ratio: round(value / baseline, 3),
      peak_rss_mb: storeD.peakMb,
    });
  } finally {
    await store.close();
    await pool.end();
    await database.drop();
  }
  return rows;
}

// ---------------------------------------------------------------- SQLite

const SQLITE_RAW_TABLE = `
  CREATE TABLE raw_events (
    position INTEGER PRIMARY KEY, stream TEXT NOT NULL, revision INTEGER NOT NULL, id TEXT NOT NULL,
    type TEXT NOT NULL, schema_version INTEGER NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL,
    recorded_at TEXT NOT NULL, prev_hash TEXT, hash TEXT NOT NULL,
    UNIQUE (stream, revision), UNIQUE (id)
  ) STRICT`;

async function benchSqlite(): Promise<Workload[]> {
  const folder = mkdtempSync(join(tmpdir(), 'waypoint-bench-'));
  const store = new SqliteEventStore({ file: join(folder, 'events.sqlite') });
  const raw = new Database(join(folder, 'raw.sqlite'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.exec(SQLITE_RAW_TABLE);
  const insert = raw.prepare(
    `INSERT INTO raw_events (stream, revision, id, type, schema_version, data, metadata, recorded_at, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, 'h')`,
  );
  const insertRow = ({ stream, revision, event }: RawRow): void => {
    insert.run(
      stream,
      revision,
      event.id,
      event.type,
      event.schemaVersion,
      JSON.stringify(event.data),
      JSON.stringify(event.metadata),
      new Date().toISOString(),
    );
  };
  const insertMany = raw.transaction((rows: RawRow[]) => {
    for (const row of rows) insertRow(row);
  });
  const rows: Workload[] = [];
  const perWriter = SINGLE_APPENDS_PER_WRITER / 2;
  try {
    out('sqlite (a) single-event appends...');
    const revisions = new Map<string, number>();
    const a = await headToHead(WRITERS, perWriter, 5, {
      raw: (writer, index) => {
        const stream = `rawa-${String(writer + WRITERS * (index % (STREAMS / WRITERS)))}`;
        const revision = (revisions.get(stream) ?? -1) + 1;
        revisions.set(stream, revision);
        insertRow({ stream, revision, event: benchEvent(index) });
        return Promise.resolve();
      },
      store: async (writer, index) => {
        const stream = `journey-${String(writer + WRITERS * (index % (STREAMS / WRITERS)))}`;
        const head = revisions.get(stream);
        const result = await store.append(stream, [benchEvent(index)], {
          expectedRevision: head ?? 'no_stream',
        });
        revisions.set(stream, result.revision);
      },
    });
    rows.push(
      throughputRow(
        '(a) single-event appends, 8 writers, 1,000 streams',
        'sqlite',
        WRITERS * perWriter,
        a,
      ),
    );

    out('sqlite (b) 100-event appends...');
    const b = await headToHead(WRITERS, BATCH_APPENDS_PER_WRITER / 2, 5, {
      raw: (writer, index) => {
        const stream = `rawb-${String(writer)}-${String(index)}`;
        insertMany(
          Array.from({ length: BATCH }, (_, revision) => ({
            stream,
            revision,
            event: benchEvent(revision),
          })),
        );
        return Promise.resolve();
      },
      store: async (writer, index) => {
        await store.append(
          `batch-${String(writer)}-${String(index)}`,
          Array.from({ length: BATCH }, (_, n) => benchEvent(n)),
          {
            expectedRevision: 'no_stream',
          },
        );
      },
    });
    rows.push(
      throughputRow(
        '(b) 100-event appends, 8 writers',
        'sqlite',
        (WRITERS * BATCH_APPENDS_PER_WRITER * BATCH) / 2,
        b,
      ),
    );

    out('sqlite (c) read and fold a 10,000-event stream...');
    for (let start = 0; start < FOLD_STREAM_EVENTS; start += BATCH) {
      await store.append(
        'long-1',
        Array.from({ length: BATCH }, (_, n) => benchEvent(start + n)),
      );
      insertMany(
        Array.from({ length: BATCH }, (_, n) => ({
          stream: 'rawlong-1',
          revision: start + n,
          event: benchEvent(start + n),
        })),
      );
    }
    const select = raw.prepare<[string], { data: string; metadata: string }>(
      'SELECT position, stream, revision, id, type, schema_version, data, metadata, recorded_at, prev_hash, hash FROM raw_events WHERE stream = ? ORDER BY revision',
    );
    const storeC = new Latencies();
    const rawC = new Latencies();
    for (let repeat = 0; repeat < FOLD_REPEATS; repeat += 1) {
      await rawC.time(() => {
        let state = { count: 0, sum: 0 };
        for (const row of select.all('rawlong-1')) {
          JSON.parse(row.metadata);
          state = fold(state, JSON.parse(row.data));
        }
        if (state.count !== FOLD_STREAM_EVENTS)
          throw new Error('raw fold read the wrong number of events');
        return Promise.resolve();
      });
      await storeC.time(async () => {
        let state = { count: 0, sum: 0 };
        for await (const event of store.readStream('long-1')) state = fold(state, event.data);
        if (state.count !== FOLD_STREAM_EVENTS)
          throw new Error('store fold read the wrong number of events');
      });
    }
    rows.push(foldRow('(c) read and fold one 10,000-event stream', 'sqlite', storeC, rawC));
  } finally {
    await store.close();
    raw.close();
    rmSync(folder, { recursive: true, force: true });
  }
  return rows;
}

// ---------------------------------------------------------------- KurrentDB

/** Over the network, each append is a few round trips: fewer operations than the local stores. */
const ESDB_SCALE = 5;

async function benchEsdb(url: string): Promise<Workload[]> {
  const run = `b${Date.now().toString(36)}`;
  const store = await EsdbEventStore.open({ connectionString: url, streamPrefix: `${run}.` });
  const raw = RawEsdbClient.connect(url);
  const rows: Workload[] = [];
  const perWriter = SINGLE_APPENDS_PER_WRITER / ESDB_SCALE;
  const batches = BATCH_APPENDS_PER_WRITER / ESDB_SCALE;
  try {
    out('esdb (a) single-event appends...');
    const revisions = new Map<string, number>();
    const streamFor = (prefix: string, writer: number, index: number): string =>
      `${prefix}-${String(writer + WRITERS * (index % (STREAMS / WRITERS)))}`;
    const a = await headToHead(WRITERS, perWriter, 5, {
      raw: async (writer, index) => {
        const stream = `${run}raw.${streamFor('rawa', writer, index)}`;
        const head = revisions.get(stream) ?? null;
        await raw.append(stream, [benchEvent(index)], head);
        revisions.set(stream, (head ?? -1) + 1);
      },
      store: async (writer, index) => {
        const stream = streamFor('journey', writer, index);
        const head = revisions.get(stream);
        const result = await store.append(stream, [benchEvent(index)], {
          expectedRevision: head ?? 'no_stream',
        });
        revisions.set(stream, result.revision);
      },
    });
    rows.push(
      throughputRow(
        '(a) single-event appends, 8 writers, 1,000 streams',
        'esdb',
        WRITERS * perWriter,
        a,
      ),
    );

    out('esdb (b) 100-event appends...');
    const b = await headToHead(WRITERS, batches, 5, {
      raw: async (writer, index) => {
        await raw.append(
          `${run}raw.rawb-${String(writer)}-${String(index)}`,
          Array.from({ length: BATCH }, (_, n) => benchEvent(n)),
          null,
        );
      },
      store: async (writer, index) => {
        await store.append(
          `batch-${String(writer)}-${String(index)}`,
          Array.from({ length: BATCH }, (_, n) => benchEvent(n)),
          { expectedRevision: 'no_stream' },
        );
      },
    });
    rows.push(
      throughputRow('(b) 100-event appends, 8 writers', 'esdb', WRITERS * batches * BATCH, b),
    );

    out('esdb (c) read and fold a 10,000-event stream...');
    for (let start = 0; start < FOLD_STREAM_EVENTS; start += BATCH) {
      const events = Array.from({ length: BATCH }, (_, n) => benchEvent(start + n));
      await store.append('long-1', events);
      await raw.append(
        `${run}raw.rawlong-1`,
        Array.from({ length: BATCH }, (_, n) => benchEvent(start + n)),
        start === 0 ? null : start - 1,
      );
    }
    const storeC = new Latencies();
    const rawC = new Latencies();
    for (let repeat = 0; repeat < FOLD_REPEATS; repeat += 1) {
      await rawC.time(async () => {
        let state = { count: 0, sum: 0 };
        for await (const data of raw.readData(`${run}raw.rawlong-1`)) state = fold(state, data);
        if (state.count !== FOLD_STREAM_EVENTS)
          throw new Error('raw fold read the wrong number of events');
      });
      await storeC.time(async () => {
        let state = { count: 0, sum: 0 };
        for await (const event of store.readStream('long-1')) state = fold(state, event.data);
        if (state.count !== FOLD_STREAM_EVENTS)
          throw new Error('store fold read the wrong number of events');
      });
    }
    rows.push(foldRow('(c) read and fold one 10,000-event stream', 'esdb', storeC, rawC));
  } finally {
    await store.close();
    await raw.close();
  }
  return rows;
}

export async function run({ adapters }: { adapters: string[] | null }): Promise<void> {
  const wanted = (name: string): boolean => adapters === null || adapters.includes(name);
  const workloads: Workload[] = [];
  // KurrentDB only when asked for by name: it needs a server of its own.
  const esdbUrl = process.env.ESDB_URL;
  if (adapters?.includes('esdb') && !esdbUrl) {
    process.stderr.write(
      'esdb: set ESDB_URL (for example esdb://127.0.0.1:2113?tls=false) to benchmark the KurrentDB adapter\n',
    );
    process.exitCode = 1;
    return;
  }
  if (adapters?.includes('esdb') && esdbUrl) workloads.push(...(await benchEsdb(esdbUrl)));
  if (wanted('postgres')) workloads.push(...(await benchPostgres()));
  if (wanted('sqlite')) workloads.push(...(await benchSqlite()));
  writeResult(
    {
      suite: 'eventstore',
      workloads,
      peak_rss_mb: processPeakRssMb(),
      machine: { cpus: (await import('node:os')).availableParallelism(), node: process.version },
      at: new Date().toISOString(),
    },
    out,
  );
}
