/** Capped exponential backoff with full jitter, so that many clients do not retry in step. */
export interface BackoffOptions {
  /** The first delay. Default 200 ms. */
  readonly initialMs?: number;
  /** The longest delay. Default 30 s. */
  readonly maxMs?: number;
  readonly factor?: number;
}

export class StoppedError extends Error {
  constructor() {
    super('stopped');
    this.name = 'StoppedError';
  }
}

/** The delay before retry number `attempt` (1-based), given a random draw in [0, 1). */
export function backoffDelay(attempt: number, options: BackoffOptions, draw: number): number {
  const initial = options.initialMs ?? 200;
  const max = options.maxMs ?? 30_000;
  const factor = options.factor ?? 2;
  const ceiling = Math.min(max, initial * factor ** Math.max(0, attempt - 1));
  // Half fixed, half jitter: never retry at once, never wait longer than the cap.
  return Math.round(ceiling / 2 + (ceiling / 2) * draw);
}

/** Waits `ms`, or rejects with StoppedError as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(new StoppedError());
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new StoppedError());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Read through a call: TypeScript would otherwise keep a check's narrowing across an await. */
export function aborted(signal: AbortSignal): boolean {
  return signal.aborted;
}

export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Runs `attempt` until it resolves, waiting a growing delay after each failure, which is reported
 * to `onFailure`. Rejects only with StoppedError, when `signal` aborts.
 */
export async function retryUntilDone<T>(
  attempt: () => Promise<T>,
  options: BackoffOptions,
  signal: AbortSignal,
  onFailure: (error: Error, delayMs: number) => void,
): Promise<T> {
  for (let failures = 1; ; failures += 1) {
    if (signal.aborted) throw new StoppedError();
    try {
      return await attempt();
    } catch (error) {
      if (aborted(signal)) throw new StoppedError();
      const delay = backoffDelay(failures, options, Math.random());
      onFailure(asError(error), delay);
      await sleep(delay, signal);
    }
  }
}
