import { randomUUID } from 'node:crypto';
import {
  HEADERS,
  InProcessBus,
  MemoryCheckpointStore,
  Relay,
  consumeEvents,
  eventMessage,
  serviceRoutes,
  serviceTopic,
  type Bus,
  type EventConsumer,
} from '@waypoint/bus';
import { newEventId, type RecordedEvent } from '@waypoint/eventstore';
import { MemoryEventStore } from '@waypoint/eventstore/memory';
import { createServiceApp, type ServiceApp } from '@waypoint/service-kit';
import { testAuth } from '@waypoint/service-kit/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BusActivity } from './bus-activity.js';
import { registerRelayMetrics } from './metrics.js';

const TOPIC = serviceTopic('shelter');
const GROUP = 'journey-timeline-g1-spec';

const METRICS_CREDENTIAL = 'spec-metrics-credential-0123456789';

let app: ServiceApp;
const cleanups: (() => Promise<void>)[] = [];

beforeEach(async () => {
  app = await createServiceApp({
    name: 'spec',
    version: '0.0.0',
    authenticator: (await testAuth()).authenticator,
    readiness: () => Promise.resolve(true),
    rateLimit: false,
    logger: { level: 'silent' },
    metricsCredential: METRICS_CREDENTIAL,
  });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await app.close();
});

/** The value of one sample of the app's /metrics, or undefined when it has none. */
async function scraped(
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  const { body } = await app.inject({
    url: '/metrics',
    headers: { authorization: `Bearer ${METRICS_CREDENTIAL}` },
  });
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of body.split('\n')) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const present = (match[2] ?? '').split(',');
    if (wanted.every((pair) => present.includes(pair))) return Number(match[3]);
  }
  return undefined;
}

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const metadata = {
  occurredAt: '2026-01-01T00:00:00.000Z',
  actor: { userId: 'u', role: 'caseworker', orgId: randomUUID() },
  correlationId: 'c',
  causationId: 'c',
};

/** Shelter events as the store records them. */
async function shelterEvents(store: MemoryEventStore, count: number): Promise<RecordedEvent[]> {
  const stream = `shelter-${randomUUID()}`;
  await store.append(
    stream,
    Array.from({ length: count }, () => ({
      id: newEventId(),
      type: 'IncidentRecorded',
      schemaVersion: 1,
      data: { code: 'other' },
      metadata,
    })),
  );
  const events: RecordedEvent[] = [];
  for await (const event of store.readStream(stream)) events.push(event);
  return events;
}

function consuming(bus: Bus, sink: (events: readonly RecordedEvent[]) => Promise<void>) {
  return consumeEvents(bus, { topics: [TOPIC], groupId: GROUP, sink }).then(
    (consumer: EventConsumer) => {
      cleanups.push(() => consumer.stop());
      return consumer;
    },
  );
}

describe('a consumer group on the metered bus', () => {
  it('counts the messages it handled per topic, and says how old the last one was', async () => {
    const store = new MemoryEventStore();
    const events = await shelterEvents(store, 3);
    const recordedAt = Date.parse(events.at(-1)?.metadata.recordedAt ?? '');
    const activity = new BusActivity(() => recordedAt + 90_000);
    activity.register(app.metrics.registry);
    const bus = new InProcessBus({ partitions: 1 });
    const consumer = await consuming(activity.meter(bus) ?? bus, () => Promise.resolve());

    await bus.publish(events.map((event) => eventMessage(TOPIC, event)));
    await until(() => consumer.status().consumed === 3);

    const labels = { group: GROUP, topic: TOPIC };
    expect(await scraped('bus_consumer_messages_total', labels)).toBe(3);
    expect(await scraped('bus_consumer_healthy', labels)).toBe(1);
    expect(await scraped('bus_consumer_failures_total', labels)).toBe(0);
    expect(await scraped('bus_consumer_lag_seconds', labels)).toBe(90);
  });

  it('reports itself unhealthy while its batches fail, and healthy once one succeeds', async () => {
    const store = new MemoryEventStore();
    const [event] = await shelterEvents(store, 1);
    const activity = new BusActivity();
    activity.register(app.metrics.registry);
    const bus = new InProcessBus({ backoff: { initialMs: 5, maxMs: 20 } });
    let failing = true;
    const consumer = await consuming(activity.meter(bus) ?? bus, () =>
      failing ? Promise.reject(new Error('read model down')) : Promise.resolve(),
    );

    if (event) await bus.publish([eventMessage(TOPIC, event)]);
    await until(() => consumer.status().failures >= 2);
    const labels = { group: GROUP, topic: TOPIC };
    expect(await scraped('bus_consumer_healthy', labels)).toBe(0);
    expect(await scraped('bus_consumer_failures_total', labels)).toBeGreaterThanOrEqual(2);
    expect(await scraped('bus_consumer_messages_total', labels)).toBe(0);

    failing = false;
    await until(() => consumer.status().consumed === 1);
    expect(await scraped('bus_consumer_healthy', labels)).toBe(1);
    expect(await scraped('bus_consumer_messages_total', labels)).toBe(1);
  });

  it('counts a message it could not read against its group and topic, as a dead letter', async () => {
    const activity = new BusActivity();
    activity.register(app.metrics.registry);
    const bus = new InProcessBus();
    const consumer = await consuming(activity.meter(bus) ?? bus, () => Promise.resolve());

    await bus.publish([
      { topic: TOPIC, key: randomUUID(), value: '{"not":"an event"}', headers: {} },
    ]);
    await until(() => consumer.status().deadLettered === 1);

    const labels = { group: GROUP, topic: TOPIC };
    expect(await scraped('bus_consumer_dead_lettered_total', labels)).toBe(1);
    expect(await scraped('bus_consumer_messages_total', labels)).toBe(1);
    const letters: { headers: Record<string, string> }[] = [];
    const reading = await bus.subscribe(
      { topics: [`${TOPIC}.dlq`], groupId: 'spec-dlq' },
      (batch) => {
        letters.push(...batch.messages);
        return Promise.resolve();
      },
    );
    cleanups.push(() => reading.stop());
    await until(() => letters.length === 1);
    const [letter] = letters;
    expect(letter?.headers[HEADERS.deadLetterGroup]).toBe(GROUP);
  });

  it('has no series once it stopped', async () => {
    const activity = new BusActivity();
    activity.register(app.metrics.registry);
    const bus = new InProcessBus();
    const consumer = await consumeEvents(activity.meter(bus) ?? bus, {
      topics: [TOPIC],
      groupId: GROUP,
      sink: () => Promise.resolve(),
    });
    expect(await scraped('bus_consumer_healthy', { group: GROUP })).toBe(1);
    await consumer.stop();
    expect(await scraped('bus_consumer_healthy', { group: GROUP })).toBeUndefined();
  });
});

describe("a service's relay", () => {
  function relaying(store: MemoryEventStore, bus: Bus): Relay {
    const relay = Relay.start({
      name: 'shelter',
      store,
      bus,
      checkpoints: new MemoryCheckpointStore(),
      categories: ['shelter'],
      routes: serviceRoutes('shelter'),
      pollIntervalMs: 10,
      backoff: { initialMs: 5, maxMs: 20 },
    });
    cleanups.push(() => relay.stop());
    return relay;
  }

  it('counts the events it published, and those still waiting after its checkpoint', async () => {
    const store = new MemoryEventStore();
    await shelterEvents(store, 3);
    let now = Date.now();
    const activity = new BusActivity(() => now);
    const bus = activity.meter(new InProcessBus());
    if (!bus) throw new Error('no bus');
    const relay = relaying(store, bus);
    registerRelayMetrics(app.metrics.registry, {
      name: 'shelter',
      relay,
      store,
      categories: ['shelter'],
      activity,
    });
    await relay.whenCaughtUp();
    now += 42_000;

    const labels = { relay: 'shelter' };
    expect(await scraped('relay_events_total', labels)).toBe(3);
    expect(await scraped('relay_healthy', labels)).toBe(1);
    expect(await scraped('relay_events_behind', labels)).toBe(0);
    expect(await scraped('relay_seconds_since_last_publish', labels)).toBe(42);

    await relay.stop();
    await shelterEvents(store, 2);
    await store.append(`care-${randomUUID()}`, [
      { id: newEventId(), type: 'CareStarted', schemaVersion: 1, data: {}, metadata },
    ]);
    expect(await scraped('relay_events_behind', labels)).toBe(2);
  });

  it('reports itself unhealthy, and the time since a publish last succeeded, while the bus refuses', async () => {
    const store = new MemoryEventStore();
    await shelterEvents(store, 2);
    let now = Date.now();
    const activity = new BusActivity(() => now);
    const refusing: Bus = {
      publish: () => Promise.reject(new Error('brokers unreachable')),
      subscribe: () => Promise.reject(new Error('not here')),
      close: () => Promise.resolve(),
    };
    const relay = relaying(store, activity.meter(refusing) ?? refusing);
    registerRelayMetrics(app.metrics.registry, {
      name: 'shelter',
      relay,
      store,
      categories: ['shelter'],
      activity,
    });
    await until(() => relay.status().failures >= 2);
    now += 120_000;

    const labels = { relay: 'shelter' };
    expect(await scraped('relay_healthy', labels)).toBe(0);
    expect(await scraped('relay_failures_total', labels)).toBeGreaterThanOrEqual(2);
    expect(await scraped('relay_events_total', labels)).toBe(0);
    expect(await scraped('relay_events_behind', labels)).toBe(2);
    expect(await scraped('relay_seconds_since_last_publish', labels)).toBe(120);
  });
});
