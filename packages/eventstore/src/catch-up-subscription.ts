import type { WakeSignal } from './wake-signal.js';
import {
  START,
  type Position,
  type RecordedEvent,
  type ReadAllBatch,
  type ReadAllOptions,
  type SubscribeOptions,
  type Subscription,
  type SubscriptionHandler,
} from './types.js';

type ReadBatch = (options: ReadAllOptions & { readonly maxCount: number }) => Promise<ReadAllBatch>;

interface CaughtUpWaiter {
  /** The waiter is released by the first read that started after this one. */
  readonly afterRead: number;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Reads the global log in batches from a checkpoint, hands each batch to the handler, and once a
 * read comes back short (the end of what is committed) waits for a wake-up or the poll interval.
 * The position handed with each batch is the checkpoint to store with that batch's effects.
 */
export function catchUpSubscription(
  readBatch: ReadBatch,
  wake: WakeSignal,
  options: SubscribeOptions,
  handler: SubscriptionHandler,
  onStopped: () => void,
): Subscription {
  const batchSize = options.batchSize ?? 500;
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const stopping = new AbortController();
  let position: Position = options.from ?? START;
  let readsStarted = 0;
  let waiters: CaughtUpWaiter[] = [];
  let failure: { error: Error } | undefined;

  const releaseWaiters = (completedRead: number): void => {
    const ready = waiters.filter((waiter) => waiter.afterRead < completedRead);
    waiters = waiters.filter((waiter) => waiter.afterRead >= completedRead);
    for (const waiter of ready) waiter.resolve();
  };

  const stopped = (): boolean => stopping.signal.aborted;

  const loop = async (): Promise<void> => {
    try {
      while (!stopped()) {
        readsStarted += 1;
        const read = readsStarted;
        const batch = await readBatch({
          from: position,
          maxCount: batchSize,
          ...(options.filter ? { filter: options.filter } : {}),
        });
        if (stopped()) break;
        if (batch.events.length > 0 || batch.position !== position) {
          await handler({ events: batch.events, position: batch.position });
          position = batch.position;
        }
        if (batch.endOfLog) {
          releaseWaiters(read);
          await wake.wait(pollIntervalMs, stopping.signal);
        }
      }
    } catch (error) {
      failure = { error: error instanceof Error ? error : new Error(String(error)) };
      for (const waiter of waiters) waiter.reject(error);
      waiters = [];
      throw error;
    } finally {
      onStopped();
    }
  };

  const done = loop();
  // Whoever holds the subscription sees the failure through `done` or `whenCaughtUp`; this keeps
  // an unobserved failure from crashing the process as an unhandled rejection.
  done.catch(() => undefined);

  return {
    get position() {
      return position;
    },
    whenCaughtUp() {
      if (failure) return Promise.reject(failure.error);
      if (stopped()) return Promise.reject(new Error('The subscription is stopped'));
      return new Promise<void>((resolve, reject) => {
        waiters.push({ afterRead: readsStarted, resolve, reject });
        wake.notify();
      });
    },
    async stop() {
      stopping.abort();
      for (const waiter of waiters) waiter.reject(new Error('The subscription is stopped'));
      waiters = [];
      await done.catch(() => undefined);
    },
    done,
  };
}

/** The global log as one async sequence, fetched a page at a time. */
export async function* readAllInPages(
  readBatch: ReadBatch,
  options: ReadAllOptions,
  pageSize: number,
): AsyncGenerator<RecordedEvent> {
  let from = options.from ?? START;
  let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
  while (remaining > 0) {
    const batch = await readBatch({
      from,
      maxCount: Math.min(pageSize, remaining),
      ...(options.filter ? { filter: options.filter } : {}),
    });
    yield* batch.events;
    remaining -= batch.events.length;
    if (batch.endOfLog) return;
    from = batch.position;
  }
}
