/**
 * `pnpm bench kafka`: the relay and the Kafka read side, on a real Kafka-protocol broker (the
 * KAFKA_BROKERS cluster, or librdkafka's mock cluster from Debian's kcat) and PostgreSQL.
 *
 * (a) relay throughput: a 200,000-event store forwarded into its topic, checkpoint in PostgreSQL
 *     (as in production) after every acknowledged batch; baseline: a bare kafkajs producer doing
 *     the same work by hand: reading the same batches from the store, sending them with the same
 *     acks, saving a position row by plain SQL after each. Two rounds, relay and bare alternating.
 * (b) end to end at a steady 1,000 events/s: from the start of an append to the journey read model
 *     updated through Kafka (relay, broker, consumer group, deduplicating projection transaction
 *     in PostgreSQL); baseline: the embedded path, the same projection fed straight from the
 *     store, running at the same time on the same appends. Value: Kafka p99 (ms); ratio:
 *     baseline p99 / Kafka p99.
 *
 * BENCH_KAFKA_EVENTS and BENCH_KAFKA_SECONDS shrink it for a quick look.
 */
import { cpus } from 'node:os';
import {
  KafkaBus,
  PostgresCheckpointStore,
  Relay,
  eventsRoute,
  consumeEvents,
  eventMessage,
  serviceTopic,
} from '@waypoint/bus';
import { fillStore, relayThroughput } from '@waypoint/bus/bench';
import { newEventId, START, type EventStore } from '@waypoint/eventstore';
import { PostgresEventStore } from '@waypoint/eventstore/postgres';
import {
  DEFAULT_DUE_POLICY,
  JOURNEY_PROJECTION,
  journeyProjection,
} from '@waypoint/journey-service';
import { createPostgresDatabase, ProjectionEngine } from '@waypoint/projections';
import { createTestDatabase, findKafka, findPostgres } from '@waypoint/testing';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { percentile, processPeakRssMb, round, writeResult, type Workload } from './report.js';

const EVENTS = Number(process.env.BENCH_KAFKA_EVENTS ?? 200_000);
const RATE = 1_000;
const SECONDS = Number(process.env.BENCH_KAFKA_SECONDS ?? 20);
const BATCH = 1_000;
const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/**
 * The relay's work by hand: read a batch of the category from the store, send it with acks=-1,
 * save the position by plain SQL; timed from the first read to the last save.
 */
async function bareProducer(
  brokers: readonly string[],
  store: EventStore,
  pool: pg.Pool,
  category: string,
  topic: string,
): Promise<{ events: number; seconds: number }> {
  const kafka = new Kafka({
    clientId: 'bench-bare',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({ maxInFlightRequests: 1 });
  await producer.connect();
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bench_bare_positions (name text PRIMARY KEY, position text NOT NULL)',
  );
  let events = 0;
  let from = START;
  const started = performance.now();
  for (;;) {
    const batch = await store.readAllBatch({
      from,
      maxCount: BATCH,
      filter: { categories: [category] },
    });
    if (batch.events.length > 0) {
      await producer.send({
        topic,
        acks: -1,
        messages: batch.events
          .map((event) => eventMessage(topic, event))
          .map((m) => ({ key: m.key, value: m.value, headers: { ...m.headers } })),
      });
      await pool.query(
        `INSERT INTO bench_bare_positions (name, position) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position`,
        [category, batch.position],
      );
      events += batch.events.length;
    }
    from = batch.position;
    if (batch.endOfLog) break;
  }
  const seconds = (performance.now() - started) / 1000;
  await producer.disconnect();
  return { events, seconds };
}

/** Records when each event was appended and when its read-model transaction committed. */
class Clock {
  private readonly started = new Map<string, number>();
  readonly latencies: number[] = [];
  begin(id: string): void {
    this.started.set(id, performance.now());
  }
  applied(events: readonly { id: string }[]): void {
    const now = performance.now();
    for (const event of events) {
      const started = this.started.get(event.id);
      if (started === undefined) continue;
      this.started.delete(event.id);
      this.latencies.push(now - started);
    }
  }
}

/** Appends one event at a time at RATE/s over `seconds`; latency from append to committed. */
async function steadyLatency(
  store: EventStore,
  clocks: readonly Clock[],
  category: string,
  seconds: number,
): Promise<{ p50: number; p99: number; max: number; events: number }[]> {
  const journeys = Array.from({ length: 50 }, () => newEventId());
  const append = async (index: number): Promise<void> => {
    const id = newEventId();
    for (const clock of clocks) clock.begin(id);
    await store.append(`${category}-${journeys[index % journeys.length] ?? ''}`, [
      {
        id,
        type: 'IncidentRecorded',
        schemaVersion: 1,
        data: {
          kind: 'violence',
          severity: 'low',
          occurredOn: '2026-03-02',
          policeNotified: false,
        },
        metadata: {
          occurredAt: '2026-03-02T10:00:00.000Z',
          actor: { userId: 'bench', role: 'shelter_staff', orgId: 'bench-org' },
          correlationId: id,
          causationId: id,
        },
      },
    ]);
  };
  const total = seconds * RATE;
  const begin = performance.now();
  const appends: Promise<void>[] = [];
  for (let index = 0; index < total; index += 1) {
    const wait = begin + (index * 1000) / RATE - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    appends.push(append(index));
  }
  await Promise.all(appends);
  const deadline = performance.now() + 120_000;
  const behind = () => clocks.some((clock) => clock.latencies.length < total);
  while (behind() && performance.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
  return clocks.map((clock) => {
    if (clock.latencies.length < total)
      throw new Error(
        `${String(clock.latencies.length)} of ${String(total)} events reached the read model`,
      );
    const sorted = [...clock.latencies].sort((a, b) => a - b);
    return {
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted.at(-1) ?? 0,
      events: total,
    };
  });
}

export async function run(): Promise<void> {
  const postgres = await findPostgres();
  if ('missing' in postgres)
    throw new Error(`the kafka benchmark needs PostgreSQL: ${postgres.missing}`);
  const kafka = await findKafka();
  if ('missing' in kafka)
    throw new Error(`the kafka benchmark needs a Kafka broker: ${kafka.missing}`);
  const database = await createTestDatabase(postgres.adminUrl, 'wp_bench_kafka');
  const store = await PostgresEventStore.open({ connectionString: database.url });
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  const workloads: Workload[] = [];
  const bus = new KafkaBus({
    brokers: kafka.brokers,
    clientId: 'bench',
    fetchMaxWaitMs: Number(process.env.BENCH_KAFKA_FETCH_WAIT_MS ?? 100),
    fetchMinBytes: Number(process.env.BENCH_KAFKA_FETCH_MIN_BYTES ?? 1),
  });
  try {
    // (a) relay throughput against a bare producer, in alternating rounds.
    const rounds = 2;
    const perRound = Math.ceil(EVENTS / rounds);
    const categories = Array.from({ length: rounds }, (_, round) => `benchrelay${String(round)}`);
    out(`filling the store with ${String(perRound * rounds)} events (${String(rounds)} rounds)...`);
    for (const category of categories)
      await fillStore(store, { category, events: perRound, streams: 1_000, perAppend: 100 });
    const checkpoints = await PostgresCheckpointStore.open(pool);
    const relayTotals = { events: 0, seconds: 0, peak: 0 };
    const bareTotals = { events: 0, seconds: 0 };
    for (const category of categories) {
      const relayTopic = `bench.relay.${category}.${String(Date.now())}`;
      const relayed = await relayThroughput({
        store,
        bus,
        category,
        topic: relayTopic,
        events: perRound,
        batchSize: BATCH,
        checkpoints,
      });
      relayTotals.events += relayed.events;
      relayTotals.seconds += relayed.seconds;
      relayTotals.peak = Math.max(relayTotals.peak, relayed.peakRssMiB);
      const bare = await bareProducer(kafka.brokers, store, pool, category, `${relayTopic}.bare`);
      bareTotals.events += bare.events;
      bareTotals.seconds += bare.seconds;
      out(
        `  ${category}: relay ${String(round(relayed.eventsPerSecond))} events/s, bare ${String(round(bare.events / bare.seconds))} events/s`,
      );
    }
    const relayRate = relayTotals.events / relayTotals.seconds;
    const bareRate = bareTotals.events / bareTotals.seconds;
    workloads.push({
      name: `(a) relay ${String(relayTotals.events)} events into a topic`,
      adapter: `postgres→kafka (${kafka.source})`,
      unit: 'events/s',
      value: relayRate,
      p50_ms: null,
      p99_ms: null,
      baseline: bareRate,
      ratio: relayRate / bareRate,
      peak_rss_mb: relayTotals.peak,
      note: `checkpoint in PostgreSQL after every batch; baseline: a bare kafkajs producer reading the same ${String(bareTotals.events)} events from the store, ${String(BATCH)} per send, acks=-1, saving a position row by plain SQL after each send; ${String(rounds)} rounds, alternating`,
    });

    // (b) end to end at a steady rate, through Kafka and, as the baseline, straight from the store.
    const journeyCategory = 'shelter';
    const topic = serviceTopic('shelter');
    const kafkaClock = new Clock();
    const readDb = createPostgresDatabase(database.url, 6);
    const viaKafka = await new ProjectionEngine({
      store,
      db: readDb,
      projections: [journeyProjection(DEFAULT_DUE_POLICY)],
      feed: 'bus',
      onApplied: (_name, events) => {
        kafkaClock.applied(events);
      },
    }).start();
    const relay = Relay.start({
      name: 'bench-e2e',
      store,
      bus,
      checkpoints,
      categories: [journeyCategory],
      routes: [eventsRoute(topic)],
      batchSize: 500,
      pollIntervalMs: 20,
      gatherMs: Number(process.env.BENCH_KAFKA_RELAY_GATHER_MS ?? 50),
    });
    const consumer = await consumeEvents(bus, {
      topics: [topic],
      groupId: `bench-journey-${String(Date.now())}`,
      sink: async (events) => {
        const started = performance.now();
        await viaKafka.applyFromBus(JOURNEY_PROJECTION, events);
        if (process.env.BENCH_DEBUG)
          process.stderr.write(
            `sink ${String(events.length)} ${(performance.now() - started).toFixed(1)}ms age ${String(Date.now() - Date.parse(events[0]?.metadata.recordedAt ?? ''))}ms relaylag ${String(relay.status().lagMs)}\n`,
          );
      },
    });
    // The baseline runs at the same time on the same appends: the embedded path's engine.
    const storeClock = new Clock();
    const directDb = createPostgresDatabase(database.url, 6);
    const direct = await new ProjectionEngine({
      store,
      db: directDb,
      projections: [{ ...journeyProjection(DEFAULT_DUE_POLICY), name: 'journey_direct' }],
      pollIntervalMs: 20,
      onApplied: (_name, events) => {
        storeClock.applied(events);
      },
    }).start();
    await direct.whenCaughtUp();
    const [kafkaPath, storePath] = await steadyLatency(
      store,
      [kafkaClock, storeClock],
      journeyCategory,
      SECONDS,
    );
    if (kafkaPath === undefined || storePath === undefined) throw new Error('no latencies');
    await consumer.stop();
    await relay.stop();
    await viaKafka.stop();
    await readDb.close();
    await direct.stop();
    await directDb.close();
    workloads.push({
      name: `(b) append → journey read model through Kafka, ${String(RATE)} events/s for ${String(SECONDS)} s`,
      adapter: `postgres→kafka (${kafka.source})→postgres`,
      unit: 'ms (p99)',
      value: kafkaPath.p99,
      p50_ms: kafkaPath.p50,
      p99_ms: kafkaPath.p99,
      baseline: storePath.p99,
      ratio: storePath.p99 / kafkaPath.p99,
      note: `max ${String(round(kafkaPath.max, 1))} ms. Baseline: the same projection fed straight from the store (embedded path), running at the same time on the same appends: p50 ${String(round(storePath.p50, 1))} ms, p99 ${String(round(storePath.p99, 1))} ms; ratio = baseline p99 / Kafka p99`,
    });
    writeResult(
      {
        suite: 'kafka',
        workloads,
        peak_rss_mb: processPeakRssMb(),
        machine: { cpus: cpus().length, node: process.version },
        at: new Date().toISOString(),
      },
      out,
    );
  } finally {
    await bus.close();
    await pool.end();
    await store.close();
    await database.drop();
    await kafka.stop();
    await postgres.stop();
  }
}
