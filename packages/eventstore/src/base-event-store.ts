import { catchUpSubscription, readAllInPages } from './catch-up-subscription.js';
import { InvalidInputError, StoreClosedError } from './errors.js';
import { payloadHashOfCanonical, verifyEvents } from './hash-chain.js';
import { assertCategory, assertStreamName } from './stream-name.js';
import type { NewEvent, RecordedEvent } from '@waypoint/contracts';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  ExpectedRevision,
  ReadAllBatch,
  ReadAllFilter,
  ReadAllOptions,
  ReadStreamOptions,
  SubscribeOptions,
  Subscription,
  SubscriptionHandler,
  VerifyResult,
} from './types.js';
import {
  DEFAULT_LIMITS,
  assertRevision,
  validateAppend,
  type AppendLimits,
  type ValidatedEvent,
} from './validate-append.js';
import { WakeBroadcaster } from './wake-signal.js';
import { matchesFilter } from './filter.js';

export interface PreparedEvent extends ValidatedEvent {
  readonly payloadHash: string;
}

const PAGE_SIZE = 1_000;

/**
 * What every adapter shares: input validation before any I/O, paging, subscriptions and
 * verification. An adapter supplies the few primitives that touch its storage.
 */
export abstract class BaseEventStore implements EventStore {
  protected readonly wake = new WakeBroadcaster();
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;

  protected constructor(protected readonly limits: AppendLimits = DEFAULT_LIMITS) {}

  protected abstract appendPrepared(
    stream: string,
    expected: ExpectedRevision,
    events: readonly PreparedEvent[],
  ): Promise<AppendResult>;
  protected abstract readStreamPage(
    stream: string,
    from: number,
    direction: 'forwards' | 'backwards',
    limit: number,
  ): Promise<RecordedEvent[]>;
  protected abstract readAllPage(
    options: ReadAllOptions & { readonly maxCount: number },
  ): Promise<ReadAllBatch>;
  abstract streamRevision(stream: string): Promise<number | null>;
  protected abstract closeStorage(): Promise<void>;
  /** Called when a subscription starts, for adapters that listen for other processes' appends. */
  protected onSubscriptionStarted(): void {}

  async append(
    stream: string,
    events: readonly NewEvent[],
    options?: AppendOptions,
  ): Promise<AppendResult> {
    const prepared = this.prepareAppend(stream, events, options);
    const result = await this.appendPrepared(prepared.stream, prepared.expected, prepared.events);
    if (!result.replayed)
      this.wake.notifyAll({
        stream: prepared.stream,
        types: prepared.events.map((item) => item.event.type),
      });
    return result;
  }

  /** Validates an append and hashes its payloads, before any I/O. */
  protected prepareAppend(
    stream: string,
    events: readonly NewEvent[],
    options: AppendOptions | undefined,
  ): { stream: string; expected: ExpectedRevision; events: PreparedEvent[] } {
    this.assertOpen();
    const valid = validateAppend(stream, events, options, this.limits);
    return {
      stream: valid.stream,
      expected: valid.expected,
      events: valid.events.map((event) => ({
        ...event,
        payloadHash: payloadHashOfCanonical(
          { ...event.event, stream: valid.stream },
          event.dataJson,
          event.metadataJson,
        ),
      })),
    };
  }

  async *readStream(
    stream: string,
    options: ReadStreamOptions = {},
  ): AsyncGenerator<RecordedEvent> {
    this.assertOpen();
    assertStreamName(stream);
    // Callers in plain JavaScript or from HTTP can pass anything: check what the type promises.
    const direction: string = options.direction ?? 'forwards';
    if (direction !== 'forwards' && direction !== 'backwards') {
      throw new InvalidInputError(
        'INVALID_REVISION',
        'direction',
        'direction must be forwards or backwards',
      );
    }
    if (options.from !== undefined) assertRevision(options.from, 'from');
    if (options.maxCount !== undefined) assertRevision(options.maxCount, 'maxCount');
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    let from = options.from ?? (direction === 'forwards' ? 0 : Number.MAX_SAFE_INTEGER);
    while (remaining > 0 && from >= 0) {
      const limit = Math.min(PAGE_SIZE, remaining);
      const page = await this.readStreamPage(stream, from, direction, limit);
      yield* page;
      remaining -= page.length;
      const last = page[page.length - 1];
      if (page.length < limit || last === undefined) return;
      from = direction === 'forwards' ? last.revision + 1 : last.revision - 1;
    }
  }

  async readAllBatch(
    options: ReadAllOptions & { readonly maxCount: number },
  ): Promise<ReadAllBatch> {
    this.assertOpen();
    assertRevision(options.maxCount, 'maxCount');
    if (options.filter) assertFilter(options.filter);
    return await this.readAllPage(options);
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    return readAllInPages((page) => this.readAllBatch(page), options, PAGE_SIZE);
  }

  subscribe(options: SubscribeOptions, handler: SubscriptionHandler): Subscription {
    this.assertOpen();
    if (options.filter) assertFilter(options.filter);
    const { signal, unregister } = this.wake.register((stream, type) =>
      matchesFilter(options.filter, stream, type),
    );
    this.onSubscriptionStarted();
    const subscription = catchUpSubscription(
      (page) => this.readAllBatch(page),
      signal,
      options,
      handler,
      () => {
        unregister();
        this.subscriptions.delete(subscription);
      },
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  verifyStream(stream: string): Promise<VerifyResult> {
    return verifyEvents(stream, this.readStream(stream));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.closeStorage();
  }

  protected assertOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }
}

function assertFilter(filter: ReadAllFilter): void {
  filter.categories?.forEach((category, index) => {
    assertCategory(category, `filter.categories[${String(index)}]`);
  });
  filter.eventTypes?.forEach((type, index) => {
    if (typeof type !== 'string' || type === '') {
      throw new InvalidInputError(
        'INVALID_EVENT',
        `filter.eventTypes[${String(index)}]`,
        'event types must be strings',
      );
    }
  });
}
