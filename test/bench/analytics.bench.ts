/**
 * `pnpm bench analytics`: the analytics service's indicators over 10,000 synthetic journeys, against
 * a plain SQL count over the same facts rows in the same run (services/analytics/src/bench).
 */
import { cpus } from 'node:os';
import { runAnalyticsBench } from '@waypoint/analytics-service/bench';
import { processPeakRssMb, writeResult } from './report.js';

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

export async function run(): Promise<void> {
  const workloads = await runAnalyticsBench({ out });
  out('');
  writeResult(
    {
      suite: 'analytics',
      workloads: [...workloads],
      peak_rss_mb: processPeakRssMb(),
      machine: { cpus: cpus().length, node: process.version },
      at: new Date().toISOString(),
    },
    out,
  );
}
