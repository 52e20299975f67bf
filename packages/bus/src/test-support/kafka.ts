import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

/** A suffix that keeps each spec's topics and groups apart on the shared test cluster. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/**
 * How many messages a topic holds (the sum of its partitions' high watermarks), so that a spec can
 * wait for all of them and then assert there is nothing more. ListOffsets, not an admin write.
 */
export async function messagesOnTopic(brokers: readonly string[], topic: string): Promise<number> {
  const admin = new Kafka({
    clientId: 'waypoint-spec-admin',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
  } finally {
    await admin.disconnect();
  }
}
