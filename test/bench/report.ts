import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One row of a benchmark result: the system under test beside its raw baseline from the same run. */
export interface Workload {
  readonly name: string;
  readonly adapter: string;
  readonly unit: string;
  readonly value: number;
  readonly p50_ms: number | null;
  readonly p99_ms: number | null;
  readonly baseline: number;
  /** Better is higher: 1.0 is parity with the baseline. */
  readonly ratio: number;
  readonly peak_rss_mb?: number;
  readonly note?: string;
}

export interface SuiteResult {
  readonly suite: string;
  readonly workloads: Workload[];
  readonly peak_rss_mb: number;
  readonly machine: { readonly cpus: number; readonly node: string };
  readonly at: string;
}

export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const index = Math.min(
    sortedMs.length - 1,
    Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1),
  );
  return sortedMs[index] ?? Number.NaN;
}

/** Collects per-operation latencies. */
export class Latencies {
  private readonly samples: number[] = [];
  record(ms: number): void {
    this.samples.push(ms);
  }
  async time<T>(work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.samples.push(performance.now() - started);
    }
  }
  /** Adds another collector's samples to this one. */
  absorb(other: Latencies): void {
    this.samples.push(...other.samples);
  }
  summary(): { p50: number; p99: number; count: number } {
    const sorted = [...this.samples].sort((a, b) => a - b);
    return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), count: sorted.length };
  }
}

/** Samples resident memory while `work` runs and returns the peak in MB. */
export async function peakRssDuring<T>(
  work: () => Promise<T>,
): Promise<{ result: T; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peakMb: round(peak / 1024 / 1024) };
  } finally {
    clearInterval(timer);
  }
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function processPeakRssMb(): number {
  return round(process.resourceUsage().maxRSS / 1024);
}

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), 'results');

/** Prints the table and writes test/bench/results/<suite>.json. */
export function writeResult(result: SuiteResult, out: (line: string) => void): string {
  const header = ['workload', 'adapter', 'value', 'unit', 'p50 ms', 'p99 ms', 'baseline', 'ratio'];
  const rows = result.workloads.map((w) => [
    w.name,
    w.adapter,
    String(round(w.value, 1)),
    w.unit,
    w.p50_ms === null ? '-' : String(round(w.p50_ms, 3)),
    w.p99_ms === null ? '-' : String(round(w.p99_ms, 3)),
    String(round(w.baseline, 1)),
    String(round(w.ratio, 3)),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]): string =>
    cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ');
  out(line(header));
  out(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) out(line(row));
  for (const w of result.workloads) if (w.note) out(`${w.adapter} ${w.name}: ${w.note}`);
  for (const w of result.workloads)
    if (w.peak_rss_mb !== undefined)
      out(`${w.adapter} ${w.name}: peak resident memory ${String(w.peak_rss_mb)} MB`);
  out(`peak resident memory: ${String(result.peak_rss_mb)} MB`);
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${result.suite}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  out(`written: ${file}`);
  return file;
}
