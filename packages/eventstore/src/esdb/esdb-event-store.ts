import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  MaxAppendSizeExceededError,
  START as SERVER_START,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { appendResultOf, detectReplay, nextRecordedAt } from '../append-rules.js';
import { BaseEventStore, type PreparedEvent } from '../base-event-store.js';
import { InvalidInputError, WrongExpectedRevisionError } from '../errors.js';
import { matchesFilter } from '../filter.js';
import { chainHash } from '../hash-chain.js';
import type { Position, RecordedEvent } from '@waypoint/contracts';
import type {
  AppendResult,
  ExpectedRevision,
  ReadAllBatch,
  ReadAllOptions,
  SubscribeOptions,
  Subscription,
  SubscriptionHandler,
} from '../types.js';
import type { AppendLimits } from '../validate-append.js';
import { fromServerEvent, toEventData, type ChainedEvent } from './envelope.js';
import { EventIdClaims } from './event-id-claims.js';
import { serverFilterOf } from './filters.js';
import { LiveWake } from './live-wake.js';
import { decodePosition, encodePosition } from './positions.js';
import { expectationHolds, serverExpectation } from './revisions.js';
import { drain, readServerStream } from './server-reads.js';
import { StreamNaming } from './stream-naming.js';

export interface EsdbEventStoreOptions {
  /** `esdb://host:2113?tls=false`, or `esdb+discover://…` for a cluster (the client finds the leader). */
  readonly connectionString: string;
  /** Prefix of every server stream name (`tenant.`), so that several stores share one server. */
  readonly streamPrefix?: string;
  readonly limits?: AppendLimits;
  readonly now?: () => Date;
  /**
   * How many times an append is tried when the stream's head moves between the read that chains
   * it and the write (only appends with `any` or `stream_exists` can succeed on a later try).
   */
  readonly maxAppendAttempts?: number;
  /** Events read from `$all` per server call. */
  readonly scanPageSize?: number;
}

/** The head moved between reading it and writing: read again and decide anew. */
const HEAD_MOVED = Symbol('head moved');

/**
 * The event store on KurrentDB / EventStoreDB 20+. The server keeps the streams, the revisions,
 * the expected-revision check and the global log; the store keeps on top what the server does not
 * have: its own `recordedAt`, the per-stream hash chain, and an event-id index for idempotent
 * appends (see README.md). Only this folder knows the client library.
 */
export class EsdbEventStore extends BaseEventStore {
  private readonly naming: StreamNaming;
  private readonly claims: EventIdClaims;
  private readonly now: () => Date;
  private readonly maxAttempts: number;
  private readonly scanPageSize: number;
  private readonly wakes = new Set<LiveWake>();

  private constructor(
    private readonly client: EventStoreDBClient,
    options: EsdbEventStoreOptions,
  ) {
    super(options.limits);
    this.naming = new StreamNaming(options.streamPrefix);
    this.claims = new EventIdClaims(client, this.naming, (stream, revision) =>
      this.readAt(stream, revision),
    );
    this.now = options.now ?? (() => new Date());
    this.maxAttempts = options.maxAppendAttempts ?? 10;
    this.scanPageSize = options.scanPageSize ?? 1_000;
  }

  /** Connects and reads the end of `$all` once, so that a wrong URL or missing rights fail here. */
  static async open(options: EsdbEventStoreOptions): Promise<EsdbEventStore> {
    const client = EventStoreDBClient.connectionString(options.connectionString);
    try {
      const store = new EsdbEventStore(client, options);
      await drain(client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 }));
      return store;
    } catch (error) {
      await client.dispose();
      throw error;
    }
  }

  protected async appendPrepared(
    stream: string,
    expected: ExpectedRevision,
    events: readonly PreparedEvent[],
  ): Promise<AppendResult> {
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.tryAppend(stream, expected, events);
      if (outcome !== HEAD_MOVED) return outcome;
      if (attempt >= this.maxAttempts) {
        const head = await this.streamRevision(stream);
        throw new WrongExpectedRevisionError(stream, expected, head ?? 'no_stream');
      }
    }
  }

  /**
   * One try: read the head, recognise a retry, check the caller's expectation against the head,
   * claim the event ids, chain from the head, and write with the head as the server's expected
   * revision, so that a concurrent writer makes this write fail instead of forking the chain.
   */
  private async tryAppend(
    stream: string,
    expected: ExpectedRevision,
    events: readonly PreparedEvent[],
  ): Promise<AppendResult | typeof HEAD_MOVED> {
    const ids = events.map(({ event }) => event.id);
    const head = await this.readHead(stream);
    const headRevision = head?.revision ?? null;
    if (!expectationHolds(expected, headRevision)) {
      const replay = detectReplay(
        stream,
        expected,
        ids,
        await this.claims.lookup(ids),
        headRevision,
      );
      if (replay) return appendResultOf(replay, true);
      throw new WrongExpectedRevisionError(stream, expected, headRevision ?? 'no_stream');
    }
    const first = (headRevision ?? -1) + 1;
    const claimed = await this.claims.claim(ids, stream, first);
    if (claimed === null) return HEAD_MOVED;
    const replay = detectReplay(stream, expected, ids, claimed.stored, headRevision);
    if (replay) return appendResultOf(replay, true);

    const chained = chain(
      events,
      head,
      first,
      nextRecordedAt(this.now(), head?.metadata.recordedAt),
    );
    const last = chained[chained.length - 1];
    if (!last) throw new Error('An append has at least one event');
    let position: Position | undefined;
    try {
      const result = await this.client.appendToStream(
        this.naming.toServer(stream),
        chained.map(toEventData),
        { expectedRevision: serverExpectation(headRevision) },
      );
      position = result.position ? encodePosition(result.position) : undefined;
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return HEAD_MOVED;
      if (error instanceof MaxAppendSizeExceededError) {
        throw new InvalidInputError(
          'BATCH_TOO_LARGE',
          'events',
          `events exceed the server's maximum append size (${String(error.maxAppendSize)} bytes)`,
        );
      }
      throw error;
    }
    // When a claim was taken over, its first owner may have landed the same events meanwhile;
    // the server then treats this write as a retry of that one and writes nothing.
    if (claimed.tookOver || position === undefined) {
      const stored = await this.readAt(stream, last.revision);
      if (stored && stored.hash !== last.hash) return appendResultOf(stored, true);
      position ??= stored?.position ?? '';
    }
    return {
      revision: last.revision,
      position,
      recordedAt: last.recordedAt,
      hash: last.hash,
      replayed: false,
    };
  }

  protected async readStreamPage(
    stream: string,
    from: number,
    direction: 'forwards' | 'backwards',
    limit: number,
  ): Promise<RecordedEvent[]> {
    let start: number | 'end' = from;
    if (direction === 'backwards') {
      // Reading backwards from past the end is not the same on every server version: start at the head.
      const head = await this.streamRevision(stream);
      if (head === null) return [];
      start = from >= head ? 'end' : from;
    }
    const records = await readServerStream(
      this.client,
      this.naming.toServer(stream),
      start,
      direction,
      limit,
    );
    return records.map((record) => {
      const event = fromServerEvent(this.naming, record);
      if (!event) throw new Error(`Stream ${stream} holds an event this store did not write`);
      return event;
    });
  }

  /**
   * Scans `$all` in pages from the position (the server may include the event at it: it is
   * dropped), skipping system events, event-id claims and other stores' streams, and applies the
   * filter. The position returned is the last event scanned, matching or not, so a filtered
   * reader never rescans what it skipped. `$all` only ever grows at its end, in commit order.
   */
  protected async readAllPage(
    options: ReadAllOptions & { readonly maxCount: number },
  ): Promise<ReadAllBatch> {
    const from = options.from ?? '';
    let cursor = decodePosition(from);
    let scanned = from;
    const events: RecordedEvent[] = [];
    if (options.maxCount === 0) return { events, position: from, endOfLog: false };
    for (;;) {
      const resolved = await drain(
        this.client.readAll({
          fromPosition: cursor ?? SERVER_START,
          maxCount: this.scanPageSize,
        }),
      );
      for (const { event: record } of resolved) {
        if (!record) continue;
        const position = encodePosition(record.position);
        if (position <= scanned) continue;
        scanned = position;
        const event = fromServerEvent(this.naming, record);
        if (!event || !matchesFilter(options.filter, event.stream, event.type)) continue;
        events.push(event);
        if (events.length >= options.maxCount) return { events, position, endOfLog: false };
      }
      if (resolved.length < this.scanPageSize) return { events, position: scanned, endOfLog: true };
      cursor = decodePosition(scanned);
    }
  }

  async streamRevision(stream: string): Promise<number | null> {
    this.assertOpen();
    return (await this.readHead(stream))?.revision ?? null;
  }

  /** Follows live through a server-side filtered `$all` subscription that wakes the reader. */
  override subscribe(options: SubscribeOptions, handler: SubscriptionHandler): Subscription {
    const subscription = super.subscribe(options, handler);
    const wake = new LiveWake(this.client, serverFilterOf(this.naming, options.filter), () => {
      this.wake.notifyAll();
    });
    this.wakes.add(wake);
    void subscription.done
      .catch(() => undefined)
      .finally(async () => {
        this.wakes.delete(wake);
        await wake.stop();
      });
    return subscription;
  }

  protected async closeStorage(): Promise<void> {
    await Promise.all([...this.wakes].map((wake) => wake.stop()));
    this.wakes.clear();
    await this.client.dispose();
  }

  private async readHead(stream: string): Promise<RecordedEvent | null> {
    const [record] = await readServerStream(
      this.client,
      this.naming.toServer(stream),
      'end',
      'backwards',
      1,
    );
    return record ? fromServerEvent(this.naming, record) : null;
  }

  private async readAt(stream: string, revision: number): Promise<RecordedEvent | undefined> {
    const [record] = await readServerStream(
      this.client,
      this.naming.toServer(stream),
      revision,
      'forwards',
      1,
    );
    return record && Number(record.revision) === revision
      ? (fromServerEvent(this.naming, record) ?? undefined)
      : undefined;
  }
}

/** Revisions, `recordedAt` and the hash chain of a batch appended after `head`. */
export function chain(
  events: readonly PreparedEvent[],
  head: { readonly hash: string } | null,
  first: number,
  recordedAt: string,
): ChainedEvent[] {
  let prevHash = head?.hash ?? null;
  return events.map((prepared, index) => {
    const revision = first + index;
    const hash = chainHash(prevHash, revision, recordedAt, prepared.payloadHash);
    const chained = { prepared, revision, recordedAt, prevHash, hash };
    prevHash = hash;
    return chained;
  });
}
