import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '@waypoint/eventstore';
import { MemoryEventStore } from '@waypoint/eventstore/memory';
import { describe, expect, it } from 'vitest';
import { eventMessage } from '../event-message.js';
import { InProcessBus } from '../in-process/in-process-bus.js';
import { collect, eventually } from '../test-support/collect.js';
import { incidentRecorded, shelterAdmitted } from '../test-support/events.js';
import { consumeEvents } from './consume-events.js';

const TOPIC = 'waypoint.shelter.v1';

async function storedJourney(): Promise<RecordedEvent[]> {
  const store = new MemoryEventStore();
  const stream = `shelter-${randomUUID()}`;
  await store.append(stream, [shelterAdmitted(), incidentRecorded(), incidentRecorded()]);
  const events: RecordedEvent[] = [];
  for await (const event of store.readStream(stream)) events.push(event);
  return events;
}

describe('given a topic with a malformed message between two valid events of one journey', () => {
  it('sends it to the dead-letter topic with the reason, and the events behind it still arrive', async () => {
    const bus = new InProcessBus({ partitions: 1 });
    const [first, second, third] = await storedJourney();
    if (!first || !second || !third) throw new Error('fixture');
    const broken = eventMessage(TOPIC, second);
    await bus.publish([
      eventMessage(TOPIC, first),
      { ...broken, value: broken.value.replace('"revision":1', '"revision":"one"') },
      eventMessage(TOPIC, third),
    ]);
    const dlq = await collect(bus, `${TOPIC}.dlq`, 'spec');
    const applied: RecordedEvent[] = [];
    const deadLettered: string[] = [];
    const consumer = await consumeEvents(bus, {
      topics: [TOPIC],
      groupId: 'journey',
      sink: (events) => {
        applied.push(...events);
        return Promise.resolve();
      },
      metrics: { deadLettered: (_topic, reason) => deadLettered.push(reason) },
    });

    await eventually(() => applied.length === 2, 'two events applied');
    expect(applied).toEqual([first, third]);
    const [letter] = await dlq.waitFor(1);
    expect(letter?.headers).toMatchObject({
      'wp-dlq-reason': 'revision must be an integer of at least 0',
      'wp-dlq-topic': TOPIC,
      'wp-dlq-offset': '1',
      'wp-dlq-group': 'journey',
      'wp-event-id': second.id,
    });
    expect(deadLettered).toEqual(['revision must be an integer of at least 0']);
    expect(consumer.status()).toMatchObject({ healthy: true, consumed: 2, deadLettered: 1 });
    await Promise.all([consumer.stop(), dlq.stop()]);
  });
});

describe('given a sink that fails', () => {
  it('reports unhealthy and hands it the same events again until it succeeds', async () => {
    const bus = new InProcessBus({ partitions: 1, backoff: { initialMs: 1, maxMs: 5 } });
    const events = await storedJourney();
    await bus.publish(events.map((event) => eventMessage(TOPIC, event)));
    const offers: string[][] = [];
    let down = true;
    const consumer = await consumeEvents(bus, {
      topics: [TOPIC],
      groupId: 'journey',
      sink: (batch) => {
        offers.push(batch.map((event) => event.id));
        return down ? Promise.reject(new Error('read model down')) : Promise.resolve();
      },
    });
    await eventually(() => offers.length >= 2, 'a second offer');
    expect(consumer.status()).toMatchObject({
      healthy: false,
      lastError: 'read model down',
      consumed: 0,
    });
    down = false;
    await eventually(() => consumer.status().consumed === 3, 'three events consumed');
    expect(new Set(offers.map((ids) => ids.join()))).toEqual(
      new Set([events.map((e) => e.id).join()]),
    );
    expect(consumer.status().healthy).toBe(true);
    await consumer.stop();
  });
});
