/**
 * Wakes one waiting reader when new events may have been committed. It remembers a wake-up that
 * came while nobody waited, so a reader busy reading when an append landed reads again at once.
 */
export class WakeSignal {
  private pending = false;
  private waiter: (() => void) | undefined;

  notify(): void {
    if (this.waiter) this.waiter();
    else this.pending = true;
  }

  /** Resolves on the next wake-up, after `timeoutMs`, or when `abort` fires, whichever comes first. */
  wait(timeoutMs: number, abort: AbortSignal): Promise<void> {
    if (this.pending || abort.aborted) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        abort.removeEventListener('abort', done);
        this.waiter = undefined;
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      abort.addEventListener('abort', done, { once: true });
      this.waiter = done;
    });
  }
}

/** Whether a subscriber reads an event of this stream and type (its filter, as a predicate). */
export type WakeInterest = (stream: string, type: string) => boolean;

/** What an append wrote: its stream and the types of its events. */
export interface Appended {
  readonly stream: string;
  readonly types: readonly string[];
}

/**
 * Hands every subscriber of a store its own wake signal. An append of this process wakes only the
 * subscribers whose filter reads one of its events: each wake-up is a read of the log, and an
 * embedded process runs several filtered subscriptions (a view of the organisations has nothing to
 * read after a journey's append). A subscriber not woken reads what it skipped on its next read
 * (its poll, its next matching append, a `whenCaughtUp`). A wake-up from elsewhere (another
 * process's append, a server's live feed) wakes everyone.
 */
export class WakeBroadcaster {
  private readonly signals = new Map<WakeSignal, WakeInterest>();

  register(interest: WakeInterest = () => true): { signal: WakeSignal; unregister: () => void } {
    const signal = new WakeSignal();
    this.signals.set(signal, interest);
    return { signal, unregister: () => this.signals.delete(signal) };
  }

  /** Wakes every subscriber, or with `appended`, those that read one of its events. */
  notifyAll(appended?: Appended): void {
    for (const [signal, interest] of this.signals)
      if (appended === undefined || appended.types.some((type) => interest(appended.stream, type)))
        signal.notify();
  }

  get size(): number {
    return this.signals.size;
  }
}
