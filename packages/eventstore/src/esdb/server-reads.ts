import {
  BACKWARDS,
  END,
  FORWARDS,
  StreamNotFoundError,
  type EventStoreDBClient,
  type RecordedEvent as ServerRecordedEvent,
  type StreamingRead,
} from '@eventstore/db-client';

/** Drains a server read; a stream that does not exist reads as empty. */
export async function drain<T>(read: StreamingRead<T>): Promise<T[]> {
  const items: T[] = [];
  try {
    for await (const item of read) items.push(item);
  } catch (error) {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  }
  return items;
}

/** Up to `limit` events of a server stream, from a revision (or its end) in one direction. */
export async function readServerStream(
  client: EventStoreDBClient,
  name: string,
  from: number | 'end',
  direction: 'forwards' | 'backwards',
  limit: number,
): Promise<ServerRecordedEvent[]> {
  const resolved = await drain(
    client.readStream(name, {
      fromRevision: from === 'end' ? END : BigInt(from),
      direction: direction === 'forwards' ? FORWARDS : BACKWARDS,
      maxCount: limit,
    }),
  );
  return resolved.flatMap((item) => (item.event ? [item.event] : []));
}

/** Runs `work` over `items` with at most `limit` in flight, keeping the order of the results. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
