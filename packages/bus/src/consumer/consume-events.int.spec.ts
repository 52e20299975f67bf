import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@waypoint/eventstore/postgres';
import { createTestDatabase, type TestDatabase } from '@waypoint/testing';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventMessage } from '../event-message.js';
import { KafkaBus } from '../kafka/kafka-bus.js';
import { MemoryCheckpointStore } from '../relay/checkpoint-store.js';
import { Relay } from '../relay/relay.js';
import { eventsRoute } from '../relay/routes.js';
import { collect, eventually } from '../test-support/collect.js';
import { incidentRecorded, shelterAdmitted } from '../test-support/events.js';
import { uniqueName } from '../test-support/kafka.js';
import { DedupSink } from '../test-support/pg-sink.js';
import { consumeEvents, type EventConsumer } from './consume-events.js';

const { postgresAdminUrl, kafkaBrokers } = inject('services');

describe.skipIf(!postgresAdminUrl || !kafkaBrokers)('consumers on Kafka', () => {
  const brokers = kafkaBrokers ?? [];
  let database: TestDatabase;
  let store: PostgresEventStore;
  let sink: DedupSink;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(postgresAdminUrl ?? '');
    store = await PostgresEventStore.open({ connectionString: database.url });
    sink = await DedupSink.create(database.url);
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  afterAll(async () => {
    await sink.close();
    await store.close();
    await database.drop();
  });

  function kafkaBus(clientId: string): KafkaBus {
    const bus = new KafkaBus({
      brokers,
      clientId,
      // The mock notices a member left only when its session expires, then waits for the rest.
      sessionTimeoutMs: 6_000,
      heartbeatIntervalMs: 500,
      rebalanceTimeoutMs: 8_000,
    });
    cleanups.push(() => bus.close());
    return bus;
  }

  async function consumer(topic: string, groupId: string, name: string): Promise<EventConsumer> {
    const started = await consumeEvents(kafkaBus(name), {
      topics: [topic],
      groupId,
      sink: sink.sinkFor(name),
      maxBatchSize: 5,
    });
    cleanups.push(() => started.stop());
    consumers.push(started);
    return started;
  }

  const consumers: EventConsumer[] = [];
  let relayStatus: (() => unknown) | undefined;
  async function effectCount(prefix: string): Promise<number> {
    return (await sink.effects()).filter((e) => e.stream.startsWith(prefix)).length;
  }

  async function whenEffects(prefix: string, count: number): Promise<void> {
    const deadline = Date.now() + 45_000;
    while ((await effectCount(prefix)) < count) {
      if (Date.now() > deadline)
        throw new Error(
          `${String(await effectCount(prefix))} of ${String(count)} effects; relay ${JSON.stringify(relayStatus?.())}; consumers ${JSON.stringify(consumers.map((c) => c.status()))}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  // The mock broker now and then refuses a member's join outright ("request being malformed")
  // on a loaded machine, and the group never takes the partitions over: twice in CI on Node 24,
  // never locally. Each attempt uses fresh topic, group and streams, so a retry proves the same.
  it(
    'two consumers in one group, with rebalances in the middle: every event takes effect exactly once, in order per journey',
    { retry: 2, timeout: 150_000 },
    async () => {
      const category = uniqueName('care').replace('-', '_');
      const topic = uniqueName('waypoint.care');
      const groupId = uniqueName('journey-read-model');
      const streams = Array.from({ length: 8 }, () => `${category}-${randomUUID()}`);
      const relay = Relay.start({
        name: category,
        store,
        bus: kafkaBus('relay'),
        checkpoints: new MemoryCheckpointStore(),
        categories: [category],
        routes: [eventsRoute(topic)],
        batchSize: 10,
        pollIntervalMs: 50,
      });
      cleanups.push(() => relay.stop());
      relayStatus = () => relay.status();
      const append = async (rounds: number) => {
        for (let round = 0; round < rounds; round += 1)
          for (const stream of streams) await store.append(stream, [incidentRecorded()]);
      };

      await append(3);
      const first = await consumer(topic, groupId, 'first');
      await whenEffects(category, 10);
      const second = await consumer(topic, groupId, 'second');
      await append(3);
      await whenEffects(category, 40);
      await first.stop();
      await append(3);
      await relay.whenCaughtUp();
      await whenEffects(category, 72);

      const effects = (await sink.effects()).filter((e) => e.stream.startsWith(category));
      expect(effects).toHaveLength(72);
      expect(new Set(effects.map((e) => e.event_id)).size).toBe(72);
      for (const stream of streams) {
        expect(effects.filter((e) => e.stream === stream).map((e) => e.revision)).toEqual([
          0, 1, 2, 3, 4, 5, 6, 7, 8,
        ]);
      }
      expect(new Set(effects.map((e) => e.consumer))).toEqual(new Set(['first', 'second']));
      expect(first.status().consumed + second.status().consumed).toBeGreaterThanOrEqual(72);
      // Two rebalances on the mock broker (a member joins, then one leaves) can each wait out a
      // session (6 s) and a rebalance (8 s) timeout: usually 15 s in all.
    },
  );

  it('sends a malformed message to the dead-letter topic and the partition goes on', async () => {
    const category = uniqueName('shelter').replace('-', '_');
    const topic = uniqueName('waypoint.shelter');
    const stream = `${category}-${randomUUID()}`;
    await store.append(stream, [shelterAdmitted(), incidentRecorded()]);
    const stored = [];
    for await (const event of store.readStream(stream)) stored.push(event);
    const [before, after] = stored;
    if (!before || !after) throw new Error('fixture');
    const bus = kafkaBus('producer');
    const valid = eventMessage(topic, before);
    await bus.publish([
      valid,
      { ...valid, value: '{"not": "an event"', headers: { 'wp-event-id': randomUUID() } },
      eventMessage(topic, after),
    ]);
    const dlq = await collect(kafkaBus('dlq-reader'), `${topic}.dlq`, uniqueName('dlq'));
    cleanups.push(() => dlq.stop());

    const reader = await consumer(topic, uniqueName('group'), 'reader');
    await whenEffects(category, 2);

    expect(
      (await sink.effects()).filter((e) => e.stream === stream).map((e) => e.revision),
    ).toEqual([0, 1]);
    const [letter] = await dlq.waitFor(1);
    expect(letter).toMatchObject({
      key: valid.key,
      value: '{"not": "an event"',
      headers: {
        'wp-dlq-reason': 'the value is not JSON',
        'wp-dlq-topic': topic,
        'wp-dlq-offset': '1',
      },
    });
    await eventually(() => reader.status().deadLettered === 1, 'the dead letter counted');
    expect(reader.status()).toMatchObject({ healthy: true, consumed: 2 });
  });
});
