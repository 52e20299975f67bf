import {
  HEADERS,
  type BatchHandler,
  type Bus,
  type BusMessage,
  type BusSubscribeOptions,
  type BusSubscription,
  type DeliveredBatch,
} from '@waypoint/bus';
import { registerScraped, type MetricsRegistry, type Sample } from './scraped-metric.js';

interface ConsumerRecord {
  readonly group: string;
  readonly topic: string;
  messages: number;
  deadLettered: number;
  failures: number;
  healthy: boolean;
  /** Per partition: how old the last event of the last batch handled was, when it was handled. */
  readonly secondsBehind: Map<number, number>;
}

const DEAD_LETTER_SUFFIX = '.dlq';
const NOT_JOINED = { joined: false, lastError: null } as const;

/** When the store recorded the event a message carries, or undefined if it cannot be told. */
function recordedAtOf(message: BusMessage): number | undefined {
  let value: unknown;
  try {
    value = JSON.parse(message.value);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || !('metadata' in value)) return undefined;
  const { metadata } = value;
  if (typeof metadata !== 'object' || metadata === null || !('recordedAt' in metadata))
    return undefined;
  const at = typeof metadata.recordedAt === 'string' ? Date.parse(metadata.recordedAt) : NaN;
  return Number.isNaN(at) ? undefined : at;
}

/**
 * What one process's consumers and relay did on the bus, seen from a decorator around it (the bus
 * port carries no metrics, and `consumeEvents` names no group in its callbacks): per consumer group
 * and topic, messages handled and committed, dead letters, failed batches, health, and how far
 * behind the last batch was; and when a publish to an event topic (the relay's) last succeeded.
 *
 * The lag is the age of a batch's last event when its handler resolved: while a group catches up
 * it is the backlog in time, once caught up the delivery latency. It cannot see messages not yet
 * fetched (the end offsets need Kafka admin calls, which Waypoint does not make at run time), so a
 * group that receives nothing keeps its last value: watch the broker's consumer-group lag too.
 */
export class BusActivity {
  private readonly consumers = new Map<string, ConsumerRecord>();
  private lastPublishAt: number;

  constructor(private readonly now: () => number = Date.now) {
    this.lastPublishAt = now();
  }

  /** The bus, with every publish and every delivered batch recorded here. */
  meter(bus: Bus | undefined): Bus | undefined {
    if (bus === undefined) return undefined;
    return {
      publish: async (messages) => {
        await bus.publish(messages);
        this.published(messages);
      },
      subscribe: (options, handler) => this.subscribe(bus, options, handler),
      ...(bus.probe ? { probe: () => bus.probe?.() ?? Promise.resolve() } : {}),
      close: () => bus.close(),
    };
  }

  /** Seconds since a publish to an event topic last succeeded (since this was made, if none did). */
  secondsSinceLastPublish(): number {
    return Math.max(0, this.now() - this.lastPublishAt) / 1000;
  }

  /** The consumer families, on the app's registry. */
  register(registry: MetricsRegistry): void {
    const labelled = (value: (record: ConsumerRecord) => number) => (): Sample[] =>
      [...this.consumers.values()].map((record) => ({
        labels: { group: record.group, topic: record.topic },
        value: value(record),
      }));
    registerScraped(registry, {
      name: 'bus_consumer_messages_total',
      help: 'Messages handed to the consumer and committed, dead letters included, by consumer group and topic',
      type: 'counter',
      collect: labelled((record) => record.messages),
    });
    registerScraped(registry, {
      name: 'bus_consumer_dead_lettered_total',
      help: 'Messages the consumer could not read and sent to the dead-letter topic, by consumer group and topic',
      type: 'counter',
      collect: labelled((record) => record.deadLettered),
    });
    registerScraped(registry, {
      name: 'bus_consumer_failures_total',
      help: 'Batches whose handler failed (they are offered again), by consumer group and topic',
      type: 'counter',
      collect: labelled((record) => record.failures),
    });
    registerScraped(registry, {
      name: 'bus_consumer_healthy',
      help: '0 from a failed batch until the next one succeeds, else 1, by consumer group and topic',
      type: 'gauge',
      collect: labelled((record) => (record.healthy ? 1 : 0)),
    });
    registerScraped(registry, {
      name: 'bus_consumer_lag_seconds',
      help: 'Age of the last event of the last batch handled, when it was handled (worst partition), by consumer group and topic',
      type: 'gauge',
      collect: labelled((record) => Math.max(0, ...record.secondsBehind.values())),
    });
  }

  private async subscribe(
    bus: Bus,
    options: BusSubscribeOptions,
    handler: BatchHandler,
  ): Promise<BusSubscription> {
    const records = options.topics.map((topic) => this.record(options.groupId, topic));
    const subscription = await bus.subscribe(options, async (batch) => {
      const record = this.record(options.groupId, batch.topic);
      try {
        await handler(batch);
      } catch (error) {
        record.failures += 1;
        record.healthy = false;
        throw error;
      }
      this.handled(record, batch);
    });
    return {
      ...(subscription.state ? { state: () => subscription.state?.() ?? NOT_JOINED } : {}),
      stop: async () => {
        await subscription.stop();
        for (const record of records) this.consumers.delete(key(record.group, record.topic));
      },
    };
  }

  private record(group: string, topic: string): ConsumerRecord {
    const found = this.consumers.get(key(group, topic));
    if (found) return found;
    const created: ConsumerRecord = {
      group,
      topic,
      messages: 0,
      deadLettered: 0,
      failures: 0,
      healthy: true,
      secondsBehind: new Map(),
    };
    this.consumers.set(key(group, topic), created);
    return created;
  }

  private handled(record: ConsumerRecord, batch: DeliveredBatch): void {
    record.messages += batch.messages.length;
    record.healthy = true;
    const last = batch.messages.at(-1);
    const recordedAt = last && recordedAtOf(last);
    if (recordedAt !== undefined)
      record.secondsBehind.set(batch.partition, Math.max(0, this.now() - recordedAt) / 1000);
  }

  private published(messages: readonly BusMessage[]): void {
    let events = false;
    for (const message of messages) {
      if (!message.topic.endsWith(DEAD_LETTER_SUFFIX)) {
        events = true;
        continue;
      }
      // A dead letter names the group that refused it and the topic it came from.
      const group = message.headers[HEADERS.deadLetterGroup];
      const topic = message.headers[HEADERS.deadLetterTopic];
      const record = group && topic ? this.consumers.get(key(group, topic)) : undefined;
      if (record) record.deadLettered += 1;
    }
    if (events) this.lastPublishAt = this.now();
  }
}

function key(group: string, topic: string): string {
  return `${group}\n${topic}`;
}
