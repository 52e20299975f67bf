import { randomUUID } from 'node:crypto';
import type { NewEvent, Position } from '@waypoint/eventstore';
import { PostgresEventStore } from '@waypoint/eventstore/postgres';
import { KafkaProxy, createTestDatabase, type TestDatabase } from '@waypoint/testing';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Bus } from '../bus.js';
import { consumeEvents, type EventConsumer } from '../consumer/consume-events.js';
import { KafkaBus } from '../kafka/kafka-bus.js';
import { collect, eventually } from '../test-support/collect.js';
import {
  ciphertext,
  incidentRecorded,
  newEvent,
  shelterAdmitted,
  shelterRegistered,
} from '../test-support/events.js';
import { messagesOnTopic, uniqueName } from '../test-support/kafka.js';
import { DedupSink } from '../test-support/pg-sink.js';
import type { CheckpointStore } from './checkpoint-store.js';
import { PostgresCheckpointStore } from './postgres-checkpoint-store.js';
import { Relay } from './relay.js';
import { eventsRoute, integrationRoute } from './routes.js';

const { postgresAdminUrl, kafkaBrokers } = inject('services');

describe.skipIf(!postgresAdminUrl || !kafkaBrokers)('the relay on Kafka and PostgreSQL', () => {
  const brokers = kafkaBrokers ?? [];
  let database: TestDatabase;
  let store: PostgresEventStore;
  let pool: pg.Pool;
  let checkpoints: PostgresCheckpointStore;
  let sink: DedupSink;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(postgresAdminUrl ?? '');
    store = await PostgresEventStore.open({ connectionString: database.url });
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
    pool.on('error', () => undefined);
    checkpoints = await PostgresCheckpointStore.open(pool);
    sink = await DedupSink.create(database.url);
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  afterAll(async () => {
    await sink.close();
    await store.close();
    await pool.end();
    await database.drop();
  });

  /** A service of its own per spec: its category, topic, checkpoint and consumer group. */
  function service() {
    const name = uniqueName('svc');
    const category = name.replace('-', '_');
    return {
      name,
      category,
      topic: `waypoint.${name}.v1`,
      stream: () => `${category}-${randomUUID()}`,
    };
  }

  function kafkaBus(
    clientId: string,
    options: Partial<ConstructorParameters<typeof KafkaBus>[0]> = {},
  ) {
    const bus = new KafkaBus({ brokers, clientId, ...options });
    cleanups.push(() => bus.close());
    return bus;
  }

  function startRelay(options: {
    name: string;
    categories: string[];
    topic: string;
    bus: Bus;
    checkpoints?: CheckpointStore;
    integrationTopic?: string;
    batchSize?: number;
  }): Relay {
    const relay = Relay.start({
      name: options.name,
      store,
      bus: options.bus,
      checkpoints: options.checkpoints ?? checkpoints,
      categories: options.categories,
      routes: [
        eventsRoute(options.topic),
        ...(options.integrationTopic ? [integrationRoute(options.integrationTopic)] : []),
      ],
      batchSize: options.batchSize ?? 100,
      pollIntervalMs: 100,
      backoff: { initialMs: 100, maxMs: 1_000 },
    });
    cleanups.push(() => relay.stop());
    return relay;
  }

  async function startConsumer(topic: string, consumer = 'reader'): Promise<EventConsumer> {
    const started = await consumeEvents(kafkaBus(uniqueName('consumer')), {
      topics: [topic],
      groupId: `${topic}.read-model`,
      sink: sink.sinkFor(consumer),
    });
    cleanups.push(() => started.stop());
    return started;
  }

  async function appendOneByOne(streams: string[], perStream: number, make: () => NewEvent) {
    for (let round = 0; round < perStream; round += 1)
      for (const stream of streams) await store.append(stream, [make()]);
  }

  async function effectsOf(streams: string[]) {
    return (await sink.effects()).filter((effect) => streams.includes(effect.stream));
  }

  /** The effects on these streams, once there are `count` of them. */
  async function effectsWhen(streams: string[], count: number) {
    const deadline = Date.now() + 45_000;
    for (;;) {
      const effects = await effectsOf(streams);
      if (effects.length >= count || Date.now() > deadline) return effects;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('carries appended events to a consumer, in order per journey, with their headers', async () => {
    const svc = service();
    const streams = [svc.stream(), svc.stream(), svc.stream()];
    const traced = newEvent('IncidentRecorded', incidentRecorded().data, {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
    await store.append(streams[0] ?? '', [shelterAdmitted(), traced]);
    await appendOneByOne(streams, 4, incidentRecorded);
    const raw = await collect(kafkaBus('raw'), svc.topic, uniqueName('raw'));
    cleanups.push(() => raw.stop());

    const relay = startRelay({
      name: svc.name,
      categories: [svc.category],
      topic: svc.topic,
      bus: kafkaBus('relay'),
    });
    await startConsumer(svc.topic);
    await relay.whenCaughtUp();

    const effects = await effectsWhen(streams, 14);
    expect(effects).toHaveLength(14);
    for (const stream of streams) {
      const revisions = effects.filter((e) => e.stream === stream).map((e) => e.revision);
      expect(revisions).toEqual([...revisions.keys()]);
    }
    const messages = await raw.waitFor(14);
    const tracedMessage = messages.find((m) => m.headers['wp-event-id'] === traced.id);
    expect(tracedMessage).toMatchObject({
      key: streams[0]?.slice(svc.category.length + 1),
      headers: {
        'wp-event-type': 'IncidentRecorded',
        'wp-schema-version': '1',
        'wp-stream': streams[0],
        'wp-revision': '1',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      },
    });
    expect(JSON.parse(tracedMessage?.value ?? '')).toMatchObject({
      id: traced.id,
      position: tracedMessage?.headers['wp-position'],
      data: { description: { $enc: 'aes-256-gcm/v1' } },
    });
  });

  it('stopped between the broker ack and the checkpoint, then restarted: nothing lost, duplicates absorbed', async () => {
    const svc = service();
    const streams = [svc.stream(), svc.stream()];
    await appendOneByOne(streams, 10, incidentRecorded);
    let saves = 0;
    // Two batches are checkpointed; the third reaches Kafka but its checkpoint never does.
    const crashing: CheckpointStore = {
      load: (name) => checkpoints.load(name),
      save: (name, position: Position) => {
        saves += 1;
        return saves <= 2 ? checkpoints.save(name, position) : Promise.reject(new Error('crash'));
      },
    };
    const first = startRelay({
      name: svc.name,
      categories: [svc.category],
      topic: svc.topic,
      bus: kafkaBus('relay-1'),
      checkpoints: crashing,
      batchSize: 5,
    });
    await eventually(() => first.status().failures > 0, 'the failed checkpoint');
    await first.stop();
    expect(first.status().eventsRelayed).toBe(10);

    await appendOneByOne(streams, 5, incidentRecorded);
    const second = startRelay({
      name: svc.name,
      categories: [svc.category],
      topic: svc.topic,
      bus: kafkaBus('relay-2'),
      batchSize: 5,
    });
    const deliveredBefore = sink.delivered;
    await startConsumer(svc.topic);
    await second.whenCaughtUp();

    // 30 events; the 5 of the unacknowledged checkpoint went to Kafka twice.
    expect(await messagesOnTopic(brokers, svc.topic)).toBe(35);
    await eventually(
      () => sink.delivered - deliveredBefore >= 35,
      'every message delivered to the sink',
    );
    const effects = await effectsWhen(streams, 30);
    expect(effects).toHaveLength(30);
    expect(new Set(effects.map((e) => e.event_id)).size).toBe(30);
  });

  it('with the broker unreachable: backs off, reports unhealthy, keeps its checkpoint, and catches up once it is back', async () => {
    const svc = service();
    const stream = svc.stream();
    const proxy = new KafkaProxy();
    cleanups.push(() => proxy.close());
    const relay = startRelay({
      name: svc.name,
      categories: [svc.category],
      topic: svc.topic,
      bus: kafkaBus('relay', {
        socketFactory: proxy.socketFactory,
        connectionTimeoutMs: 1_000,
        requestTimeoutMs: 2_000,
      }),
    });
    await startConsumer(svc.topic);
    await store.append(stream, [shelterAdmitted(), incidentRecorded()]);
    await relay.whenCaughtUp();
    const before = relay.status();

    proxy.cut();
    await store.append(stream, [incidentRecorded(), incidentRecorded()]);
    await eventually(() => relay.status().failures >= 2, 'two failed publishes');
    expect(relay.status()).toMatchObject({ healthy: false, position: before.position });
    expect(relay.status().lastError?.message).toMatch(/^publishing: /);
    expect(await checkpoints.load(svc.name)).toBe(before.position);
    expect(relay.status().lagMs).toBeGreaterThan(0);

    proxy.restore();
    await store.append(stream, [incidentRecorded()]);
    await relay.whenCaughtUp();
    expect(relay.status()).toMatchObject({ healthy: true, eventsRelayed: 5 });
    const effects = await effectsWhen([stream], 5);
    expect(effects.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
  });

  it('puts only curated institution events on the integration topic: no personal data, not even encrypted', async () => {
    const svc = service();
    const integrationTopic = uniqueName('waypoint.integration.v1');
    const personId = randomUUID();
    const shelterId = randomUUID();
    const orgId = randomUUID();
    await store.append(`person-${personId}`, [
      newEvent('PersonRegistered', {
        personId,
        identity: ciphertext('data.identity', 'identity'),
        blindIndexes: { name: 'hmac-of-the-name' },
        gender: 'female',
        ageBand: '18-24',
        child: 'no',
        citizenship: ['NG'],
        languages: ['en'],
        registeredByOrgId: orgId,
      }),
    ]);
    await store.append(`organisation-${orgId}`, [
      newEvent('OrganisationRegistered', {
        orgId,
        name: 'Safe Harbour NGO',
        type: 'ngo',
        country: 'BE',
        acceptsReferrals: true,
        services: ['accommodation'],
      }),
    ]);
    await store.append(`shelterregistry-${shelterId}`, [
      shelterRegistered(shelterId),
      newEvent('ShelterUpdated', { capacity: 14, address: ciphertext('data.address', 'location') }),
      newEvent('ShelterAddressRead', {
        shelterId,
        userId: 'jane.doe@ngo.example',
        orgId,
        roles: ['shelter_staff'],
        route: '/shelters/:id/address',
      }),
    ]);
    const relay = startRelay({
      name: svc.name,
      categories: ['person', 'organisation', 'shelterregistry'],
      topic: svc.topic,
      integrationTopic,
      bus: kafkaBus('relay'),
    });
    await relay.whenCaughtUp();

    expect(await messagesOnTopic(brokers, integrationTopic)).toBe(3);
    const integration = await collect(kafkaBus('outside'), integrationTopic, uniqueName('outside'));
    cleanups.push(() => integration.stop());
    const messages = await integration.waitFor(3);
    expect(messages.map((m) => m.headers['wp-event-type']).sort()).toEqual([
      'OrganisationRegistered',
      'ShelterRegistered',
      'ShelterUpdated',
    ]);
    for (const message of messages) {
      const text = JSON.stringify(message);
      expect(text).not.toContain('$enc');
      expect(text).not.toContain(personId);
      expect(text).not.toContain('jane.doe');
      expect(text).not.toContain('hmac-of-the-name');
      expect(text).not.toContain('address');
      expect(text).not.toContain('actor');
    }
    // The service's own topic still carries everything, as stored.
    expect(await messagesOnTopic(brokers, svc.topic)).toBe(5);
  });

  it('keeps a checkpoint that a slower twin relay would move backwards', async () => {
    const name = uniqueName('twin');
    await checkpoints.save(name, '00000000000000000020');
    await checkpoints.save(name, '00000000000000000010');
    expect(await checkpoints.load(name)).toBe('00000000000000000020');
  });
});
