import { describe, expect, it } from 'vitest';
import { backoffDelay, retryUntilDone, StoppedError } from './backoff.js';

describe('the backoff delay', () => {
  it('doubles from the initial delay and stops growing at the cap', () => {
    const ceilings = [1, 2, 3, 4, 5, 6, 7].map((attempt) =>
      backoffDelay(attempt, { initialMs: 100, maxMs: 1_000 }, 1),
    );
    expect(ceilings).toEqual([100, 200, 400, 800, 1_000, 1_000, 1_000]);
  });

  it('never waits less than half the ceiling, whatever the draw', () => {
    expect(backoffDelay(3, { initialMs: 100, maxMs: 1_000 }, 0)).toBe(200);
  });
});

describe('retrying until done', () => {
  it('reports each failure and resolves with the first success', async () => {
    let calls = 0;
    const failures: string[] = [];
    const result = await retryUntilDone(
      () => {
        calls += 1;
        return calls < 3
          ? Promise.reject(new Error(`no ${String(calls)}`))
          : Promise.resolve(calls);
      },
      { initialMs: 1, maxMs: 2 },
      new AbortController().signal,
      (error) => failures.push(error.message),
    );
    expect(result).toBe(3);
    expect(failures).toEqual(['no 1', 'no 2']);
  });

  it('gives up with StoppedError when stopped during a backoff', async () => {
    const stopping = new AbortController();
    const retrying = retryUntilDone(
      () => Promise.reject(new Error('down')),
      { initialMs: 60_000 },
      stopping.signal,
      () => undefined,
    );
    setTimeout(() => {
      stopping.abort();
    }, 10);
    await expect(retrying).rejects.toBeInstanceOf(StoppedError);
  });
});
