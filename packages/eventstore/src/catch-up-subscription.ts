import type { WakeSignal } from './wake-signal.js';
import type { Position, RecordedEvent } from '@waypoint/contracts';
import {
  START,
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
  const gatherMs = options.gatherMs ?? 0;
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

  /** Starts a read; its number lets `whenCaughtUp` tell reads that began after a call. */
  const issue = (from: Position): { read: number; batch: Promise<ReadAllBatch> } => {
    readsStarted += 1;
    const batch = readBatch({
      from,
      maxCount: batchSize,
      ...(options.filter ? { filter: options.filter } : {}),
    });
    // A read ahead that is never awaited (the handler failed, or the subscription stopped).
    batch.catch(() => undefined);
    return { read: readsStarted, batch };
  };

  const loop = async (): Promise<void> => {
    try {
      let pending = issue(position);
      while (!stopped()) {
        const { read } = pending;
        const batch = await pending.batch;
        if (stopped()) break;
        // While catching up, the next page is read while the handler works on this one: the
        // position it starts from is known, so this changes nothing but the time it takes.
        if (!batch.endOfLog) pending = issue(batch.position);
        if (batch.events.length > 0 || batch.position !== position) {
          await handler({ events: batch.events, position: batch.position });
          position = batch.position;
        }
        if (batch.endOfLog) {
          releaseWaiters(read);
          await wake.wait(pollIntervalMs, stopping.signal);
          if (stopped()) break;
          if (gatherMs > 0) await pause(gatherMs, stopping.signal);
          if (stopped()) break;
          pending = issue(position);
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

/** Waits `ms`, or less when `abort` fires. */
function pause(ms: number, abort: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      abort.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    abort.addEventListener('abort', done, { once: true });
  });
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
