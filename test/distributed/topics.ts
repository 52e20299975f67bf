import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type IHeaders } from 'kafkajs';

/** A message as it sits on a topic: raw bytes of its key, value and headers. */
export interface TopicMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer;
  readonly value: Buffer;
  /** `name: value` lines. */
  readonly headers: string;
}

function headerLines(headers: IHeaders | undefined): string {
  return Object.entries(headers ?? {})
    .flatMap(([name, value]) =>
      (Array.isArray(value) ? value : [value]).map(
        (item) => `${name}: ${item === undefined ? '' : item.toString()}`,
      ),
    )
    .join('\n');
}

/**
 * Every message of the topics, from the beginning, read by a consumer group of its own: the
 * high watermarks are taken first (ListOffsets), then the consumer reads until it reached them.
 * Messages written after that may come too; none before it are missed.
 */
export async function readTopics(
  brokers: readonly string[],
  topics: readonly string[],
  timeoutMs = 60_000,
): Promise<TopicMessage[]> {
  const kafka = new Kafka({
    clientId: 'waypoint-erasure-scan',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
  });
  const ends = new Map<string, bigint>();
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const topic of topics) {
      for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(high) > BigInt(low)) ends.set(`${topic}/${String(partition)}`, BigInt(high));
      }
    }
  } finally {
    await admin.disconnect();
  }
  const messages: TopicMessage[] = [];
  if (ends.size === 0) return messages;

  const reached = new Map<string, bigint>();
  const complete = (): boolean =>
    [...ends].every(([partition, high]) => (reached.get(partition) ?? 0n) >= high);
  const consumer = kafka.consumer({
    groupId: `waypoint-erasure-scan-${randomUUID()}`,
    sessionTimeout: 6_000,
    rebalanceTimeout: 8_000,
    maxWaitTimeInMs: 200,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`the topics were not read to their end within ${String(timeoutMs)} ms`));
      }, timeoutMs);
      consumer
        .run({
          eachMessage: ({ topic, partition, message }) => {
            messages.push({
              topic,
              partition,
              offset: message.offset,
              key: message.key ?? Buffer.alloc(0),
              value: message.value ?? Buffer.alloc(0),
              headers: headerLines(message.headers),
            });
            reached.set(`${topic}/${String(partition)}`, BigInt(message.offset) + 1n);
            if (complete()) {
              clearTimeout(timer);
              resolve();
            }
            return Promise.resolve();
          },
        })
        .catch((error: unknown) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        });
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}
