/**
 * The embedded app's clock while it enters the demo data: set to the moment each demo fact
 * happened, so events carry back-dated `occurredAt` and the demo spans months, as real work would.
 * Never ahead of the real time: a moment in the future is held at now. Released once the demo is
 * in, before the app serves: from then on it reads the real time.
 */
export interface DemoClock {
  now(): Date;
  /** The clock reads `at` (or the real time, if `at` is later) until set again. */
  set(at: Date): Date;
  /** Moves the clock forward by `hours`. */
  advance(hours: number): Date;
  /** The clock reads the real time from now on, as it did before it was first set. */
  release(): void;
}

export function demoClock(real: () => Date = () => new Date()): DemoClock {
  let current: Date | undefined;
  const set = (at: Date): Date => {
    const now = real();
    current = at.getTime() > now.getTime() ? now : at;
    return current;
  };
  return {
    now: () => current ?? real(),
    set,
    advance: (hours) => set(new Date((current ?? real()).getTime() + hours * 3_600_000)),
    release: () => {
      current = undefined;
    },
  };
}
