import { EventStoreDBClient, NO_STREAM, jsonEvent } from '@eventstore/db-client';
import type { NewEvent } from '@waypoint/contracts';
import { readServerStream } from './server-reads.js';

/**
 * The plain client with none of the store's guarantees (no hash chain, no recordedAt, no event-id
 * claims, no head read): the baseline the benchmark compares the store with, on the same server.
 */
export class RawEsdbClient {
  private constructor(private readonly client: EventStoreDBClient) {}

  static connect(connectionString: string): RawEsdbClient {
    return new RawEsdbClient(EventStoreDBClient.connectionString(connectionString));
  }

  async append(stream: string, events: readonly NewEvent[], after: number | null): Promise<void> {
    await this.client.appendToStream(
      stream,
      events.map((event) =>
        jsonEvent({
          id: event.id,
          type: event.type,
          data: event.data,
          metadata: event.metadata as unknown as Record<string, unknown>,
        }),
      ),
      { expectedRevision: after === null ? NO_STREAM : BigInt(after) },
    );
  }

  /** Every event's data, in pages of `pageSize`. */
  async *readData(stream: string, pageSize = 1_000): AsyncGenerator {
    for (let from = 0; ; from += pageSize) {
      const page = await readServerStream(this.client, stream, from, 'forwards', pageSize);
      for (const record of page) yield record.data;
      if (page.length < pageSize) return;
    }
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}
