/**
 * Progress of long work (demo data, read models catching up, a rebuild) on the terminal: a bar
 * redrawn in place when stderr is a terminal, a plain line now and then otherwise (a log file, a
 * container), nothing at all in tests. Never on stdout, which carries the logs and answers.
 */
export interface Progress {
  /** How far the work is: `done` of the total. */
  update(done: number): void;
  /** The work is over: the bar is completed (or the last line written). */
  finish(): void;
}

export type ProgressSink = (label: string, total: number) => Progress;

export const noProgress: ProgressSink = () => ({
  update: () => undefined,
  finish: () => undefined,
});

interface Output {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

const WIDTH = 30;

/** One line: label, bar, percentage, count and elapsed seconds. */
export function progressLine(
  label: string,
  done: number,
  total: number,
  elapsedMs: number,
  bar = true,
): string {
  const share = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(share * WIDTH);
  const percent = `${String(Math.floor(share * 100)).padStart(3)}%`;
  const count = `${String(Math.min(done, total))}/${String(total)}`;
  const seconds = `${(elapsedMs / 1_000).toFixed(0)} s`;
  return bar
    ? `${label} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${percent} ${count} ${seconds}`
    : `${label}: ${count} (${percent.trim()}) after ${seconds}`;
}

/**
 * Progress on `output` (stderr by default): redrawn at most every 100 ms on a terminal, one line
 * every `intervalMs` otherwise.
 */
export function terminalProgress(
  output: Output = process.stderr,
  intervalMs = 5_000,
  clock: () => number = () => performance.now(),
): ProgressSink {
  const tty = output.isTTY === true;
  return (label, total) => {
    const started = clock();
    let shown = tty ? -Infinity : started;
    let done = 0;
    let finished = false;
    const draw = (): void => {
      const elapsed = clock() - started;
      output.write(
        tty
          ? `\r${progressLine(label, done, total, elapsed)}`
          : `${progressLine(label, done, total, elapsed, false)}\n`,
      );
    };
    return {
      update(next) {
        done = next;
        const now = clock();
        if (finished || now - shown < (tty ? 100 : intervalMs)) return;
        shown = now;
        draw();
      },
      finish() {
        if (finished) return;
        finished = true;
        done = total;
        draw();
        if (tty) output.write('\n');
      },
    };
  };
}
