import type { RecordedEvent } from '@waypoint/eventstore';
import type { Bus, BusLogger, BusMessage, DeliveredBatch, DeliveredMessage } from '../bus.js';
import { parseEventMessage } from '../envelope.js';
import { HEADERS } from '../event-message.js';
import { deadLetterTopic } from '../topics.js';

/**
 * The read side's batch handler: applies events in order. It deduplicates by event id itself, in
 * the transaction of its effects (delivery is at least once), and resolves once they are durable.
 */
export type EventSink = (events: readonly RecordedEvent[]) => Promise<void>;

export interface ConsumerMetrics {
  /** Events handed to the sink and committed. */
  consumed?(events: number): void;
  /** A message failed the envelope check and went to the dead-letter topic. */
  deadLettered?(topic: string, reason: string): void;
  /** The sink (or the dead-letter publish) failed; the batch will be offered again. */
  failed?(error: Error): void;
}

export interface ConsumeOptions {
  readonly topics: readonly string[];
  readonly groupId: string;
  readonly sink: EventSink;
  readonly maxBatchSize?: number;
  readonly metrics?: ConsumerMetrics;
  readonly logger?: BusLogger;
}

export interface ConsumerStatus {
  /** False from a failed batch until the next one succeeds: for readiness. */
  readonly healthy: boolean;
  /** False until the consumer joined its group (a restart waits for a dead member's session), and after it crashed. */
  readonly joined: boolean;
  readonly lastError: string | null;
  readonly consumed: number;
  readonly deadLettered: number;
  readonly failures: number;
}

export interface EventConsumer {
  status(): ConsumerStatus;
  stop(): Promise<void>;
}

/** A refused message, as it goes to `<topic>.dlq`: untouched, with why and where it came from. */
export function deadLetter(message: DeliveredMessage, groupId: string, reason: string): BusMessage {
  return {
    topic: deadLetterTopic(message.topic),
    key: message.key,
    value: message.value,
    headers: {
      ...message.headers,
      [HEADERS.deadLetterReason]: reason,
      [HEADERS.deadLetterTopic]: message.topic,
      [HEADERS.deadLetterPartition]: String(message.partition),
      [HEADERS.deadLetterOffset]: message.offset,
      [HEADERS.deadLetterGroup]: groupId,
    },
  };
}

/**
 * Reads event topics into a sink. Each batch is parsed and its envelopes checked; a message that
 * fails goes to the dead-letter topic with the reason in a header and the partition goes on (a bad
 * message never blocks the ones behind it); the valid events go to the sink in order. Offsets are
 * committed only after the sink and the dead-letter publish resolved.
 */
export async function consumeEvents(bus: Bus, options: ConsumeOptions): Promise<EventConsumer> {
  let healthy = true;
  let lastError: string | null = null;
  let consumed = 0;
  let deadLettered = 0;
  let failures = 0;

  const handle = async (batch: DeliveredBatch): Promise<void> => {
    const events: RecordedEvent[] = [];
    const refused: BusMessage[] = [];
    for (const message of batch.messages) {
      const parsed = parseEventMessage(message);
      if (parsed.ok) events.push(parsed.event);
      else refused.push(deadLetter(message, options.groupId, parsed.reason));
    }
    if (refused.length > 0) await bus.publish(refused);
    if (events.length > 0) await options.sink(events);
    healthy = true;
    consumed += events.length;
    deadLettered += refused.length;
    if (events.length > 0) options.metrics?.consumed?.(events.length);
    for (const message of refused) {
      const reason = message.headers[HEADERS.deadLetterReason] ?? '';
      options.metrics?.deadLettered?.(batch.topic, reason);
      options.logger?.warn(
        {
          topic: batch.topic,
          partition: batch.partition,
          offset: message.headers[HEADERS.deadLetterOffset],
          reason,
        },
        'consumer: message refused, sent to the dead-letter topic',
      );
    }
  };

  const subscription = await bus.subscribe(
    {
      topics: options.topics,
      groupId: options.groupId,
      ...(options.maxBatchSize === undefined ? {} : { maxBatchSize: options.maxBatchSize }),
      onHandlerError: (error) => {
        healthy = false;
        failures += 1;
        lastError = error.message;
        options.metrics?.failed?.(error);
        options.logger?.warn(
          { groupId: options.groupId, error: error.message },
          'consumer: batch failed; it will be offered again',
        );
      },
    },
    handle,
  );

  return {
    status: () => {
      const group = subscription.state?.() ?? { joined: true, lastError: null };
      return {
        healthy,
        joined: group.joined,
        lastError: lastError ?? group.lastError,
        consumed,
        deadLettered,
        failures,
      };
    },
    stop: () => subscription.stop(),
  };
}
