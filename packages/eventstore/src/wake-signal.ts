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

/** Hands every subscriber of a store its own wake signal and wakes them all at once. */
export class WakeBroadcaster {
  private readonly signals = new Set<WakeSignal>();

  register(): { signal: WakeSignal; unregister: () => void } {
    const signal = new WakeSignal();
    this.signals.add(signal);
    return { signal, unregister: () => this.signals.delete(signal) };
  }

  notifyAll(): void {
    for (const signal of this.signals) signal.notify();
  }

  get size(): number {
    return this.signals.size;
  }
}
