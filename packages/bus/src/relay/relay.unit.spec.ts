import { randomUUID } from 'node:crypto';
import { START, type RecordedEvent } from '@waypoint/eventstore';
import { MemoryEventStore } from '@waypoint/eventstore/memory';
import { afterEach, describe, expect, it } from 'vitest';
import { InProcessBus } from '../in-process/in-process-bus.js';
import { collect, eventually } from '../test-support/collect.js';
import {
  incidentRecorded,
  newEvent,
  shelterAdmitted,
  shelterRegistered,
} from '../test-support/events.js';
import { SwitchableBus } from '../test-support/switchable-bus.js';
import { MemoryCheckpointStore } from './checkpoint-store.js';
import { Relay, serviceRoutes } from './relay.js';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const relays: Relay[] = [];

function startRelay(
  store: MemoryEventStore,
  bus: InProcessBus | SwitchableBus,
  checkpoints = new MemoryCheckpointStore(),
): Relay {
  const relay = Relay.start({
    name: 'shelter',
    store,
    bus,
    checkpoints,
    categories: ['shelter', 'shelterregistry', 'access-shelter'],
    routes: serviceRoutes('shelter', { integration: true }),
    batchSize: 3,
    pollIntervalMs: 20,
    backoff: { initialMs: 5, maxMs: 20 },
  });
  relays.push(relay);
  return relay;
}

afterEach(async () => {
  await Promise.all(relays.splice(0).map((relay) => relay.stop()));
});

async function allEvents(store: MemoryEventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of store.readAll()) events.push(event);
  return events;
}

describe('given a store with a journey in the shelter service and in another service', () => {
  it('relays the shelter events, as stored, keyed by journey, with their headers', async () => {
    const store = new MemoryEventStore();
    const bus = new InProcessBus();
    const journeyId = randomUUID();
    await store.append(`shelter-${journeyId}`, [
      shelterAdmitted(),
      newEvent('IncidentRecorded', incidentRecorded().data, {
        traceparent: TRACEPARENT,
        tracestate: 'wp=1',
      }),
    ]);
    await store.append(`identification-${journeyId}`, [
      newEvent('AgeAssessed', { outcome: 'adult', method: 'documents' }),
    ]);
    await store.append(`access-shelter-${journeyId}`, [
      newEvent('PersonalDataRead', { subjectId: journeyId }),
    ]);
    const topic = await collect(bus, 'waypoint.shelter.v1', 'spec');

    const relay = startRelay(store, bus);
    await relay.whenCaughtUp();

    const stored = (await allEvents(store)).filter(
      (event) => !event.stream.startsWith('identification-'),
    );
    const messages = await topic.waitFor(3);
    expect(messages.map((m) => JSON.parse(m.value) as unknown)).toEqual(stored);
    expect(messages.map((m) => m.key)).toEqual([journeyId, journeyId, journeyId]);
    const incident = stored[1];
    expect(messages[1]?.headers).toEqual({
      'wp-event-id': incident?.id,
      'wp-event-type': 'IncidentRecorded',
      'wp-schema-version': '1',
      'wp-stream': `shelter-${journeyId}`,
      'wp-revision': '1',
      'wp-position': incident?.position,
      'content-type': 'application/json',
      traceparent: TRACEPARENT,
      tracestate: 'wp=1',
    });
    expect(messages[0]?.value).toContain('"$enc"');
    expect(relay.status()).toMatchObject({
      healthy: true,
      eventsRelayed: 3,
      failures: 0,
      lagMs: 0,
    });
    await topic.stop();
  });

  it('publishes the shelter registry, curated, to the integration topic', async () => {
    const store = new MemoryEventStore();
    const bus = new InProcessBus();
    const shelterId = randomUUID();
    await store.append(`shelterregistry-${shelterId}`, [shelterRegistered(shelterId)]);
    await store.append(`shelter-${randomUUID()}`, [shelterAdmitted()]);
    const integration = await collect(bus, 'waypoint.integration.v1', 'spec');

    await startRelay(store, bus).whenCaughtUp();

    const [message] = await integration.waitFor(1);
    expect(integration.messages).toHaveLength(1);
    expect(message?.key).toBe(shelterId);
    expect(message?.value).not.toContain('$enc');
    expect(JSON.parse(message?.value ?? '')).toMatchObject({
      type: 'ShelterRegistered',
      subject: { kind: 'shelter', id: shelterId },
    });
    await integration.stop();
  });
});

describe('given the broker cannot be reached', () => {
  it('keeps the checkpoint, reports unhealthy, backs off, and relays everything once it is back', async () => {
    const store = new MemoryEventStore();
    const bus = new SwitchableBus(new InProcessBus());
    const checkpoints = new MemoryCheckpointStore();
    const journeyId = randomUUID();
    const topic = await collect(bus, 'waypoint.shelter.v1', 'spec');
    bus.down = true;
    const relay = startRelay(store, bus, checkpoints);
    await store.append(`shelter-${journeyId}`, [shelterAdmitted(), incidentRecorded()]);

    await eventually(() => bus.publishAttempts >= 3, 'three publish attempts');
    expect(relay.status()).toMatchObject({ healthy: false, eventsRelayed: 0, position: START });
    expect(relay.status().lastError?.message).toBe('publishing: broker unreachable');
    expect(await checkpoints.load('shelter')).toBe(START);

    bus.down = false;
    await store.append(`shelter-${journeyId}`, [incidentRecorded()]);
    await relay.whenCaughtUp();
    const messages = await topic.waitFor(3);
    expect(messages.map((m) => m.headers['wp-revision'])).toEqual(['0', '1', '2']);
    expect(relay.status()).toMatchObject({ healthy: true, eventsRelayed: 3 });
    expect(relay.status().failures).toBeGreaterThanOrEqual(3);
    expect(await checkpoints.load('shelter')).toBe(relay.status().position);
    await topic.stop();
  });
});

describe('given a relay stopped and started again', () => {
  it('resumes after its checkpoint: nothing lost, nothing sent twice', async () => {
    const store = new MemoryEventStore();
    const bus = new InProcessBus();
    const checkpoints = new MemoryCheckpointStore();
    const stream = `shelter-${randomUUID()}`;
    const topic = await collect(bus, 'waypoint.shelter.v1', 'spec');
    await store.append(stream, [shelterAdmitted(), incidentRecorded()]);
    const first = startRelay(store, bus, checkpoints);
    await first.whenCaughtUp();
    await first.stop();

    await store.append(stream, [incidentRecorded(), incidentRecorded()]);
    await startRelay(store, bus, checkpoints).whenCaughtUp();

    const messages = await topic.waitFor(4);
    expect(messages.map((m) => m.headers['wp-revision'])).toEqual(['0', '1', '2', '3']);
    await topic.stop();
  });
});

describe('two instances of a service, one relay lock', () => {
  /** An in-memory lock: one holder at a time; `kill` loses it, as a dead connection would. */
  function sharedLock() {
    let holder: { lose: () => void } | undefined;
    return {
      acquire: () => {
        if (holder) return Promise.resolve(null);
        let lose: () => void = () => undefined;
        const lost = new Promise<void>((resolve) => {
          lose = resolve;
        });
        const held = {
          lose: () => {
            holder = undefined;
            lose();
          },
        };
        holder = held;
        return Promise.resolve({
          lost,
          release: () => {
            if (holder === held) holder = undefined;
            return Promise.resolve();
          },
        });
      },
      kill: () => {
        holder?.lose();
      },
    };
  }

  it('relays from one instance at a time, and the other takes over when the first loses its lock', async () => {
    const store = new MemoryEventStore();
    const bus = new InProcessBus();
    const checkpoints = new MemoryCheckpointStore();
    const lock = sharedLock();
    const journeyId = randomUUID();
    await store.append(`shelter-${journeyId}`, [shelterAdmitted()]);
    const topic = await collect(bus, 'waypoint.shelter.v1', 'spec-lock');
    const start = () =>
      Relay.start({
        name: 'shelter',
        store,
        bus,
        checkpoints,
        categories: ['shelter'],
        routes: serviceRoutes('shelter'),
        acquire: lock.acquire,
        standbyPollMs: 20,
        pollIntervalMs: 20,
      });
    const first = start();
    const second = start();
    await eventually(
      () => first.status().active !== second.status().active,
      'one relay active, the other waiting',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect([first.status().active, second.status().active].sort()).toEqual([false, true]);
    const [active, standby] = first.status().active ? [first, second] : [second, first];
    await active.whenCaughtUp();
    await topic.waitFor(1);

    // The active instance goes away (its process stopped, its lock released).
    await active.stop();
    await store.append(`shelter-${journeyId}`, [incidentRecorded()]);
    await eventually(() => standby.status().active, 'the standby relay takes over');
    await standby.whenCaughtUp();
    const messages = await topic.waitFor(2);
    expect(messages.map((m) => (JSON.parse(m.value) as { type: string }).type)).toEqual([
      'ShelterAdmitted',
      'IncidentRecorded',
    ]);
    await standby.stop();
    await topic.stop();
  });
});
