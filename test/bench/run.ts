/**
 * `pnpm bench <suite> [--adapter name]`: runs one benchmark suite, prints its table and writes
 * test/bench/results/<suite>.json. Benchmarks measure; they never pass or fail on a figure.
 */
import { parseArgs } from 'node:util';

const suites: Record<
  string,
  () => Promise<{ run: (args: { adapters: string[] | null }) => Promise<void> }>
> = {
  eventstore: () => import('./eventstore.bench.js'),
  http: () => import('./http.bench.js'),
  projections: () => import('./projections.bench.js'),
  analytics: () => import('./analytics.bench.js'),
  kafka: () => import('./kafka.bench.js'),
};

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { adapter: { type: 'string', multiple: true } },
});
const name = positionals[0];
const load = name === undefined ? undefined : suites[name];
if (!load) {
  process.stderr.write(
    `usage: pnpm bench <suite> [--adapter name]\nsuites: ${Object.keys(suites).join(', ')}\n`,
  );
  process.exit(2);
}
const suite = await load();
await suite.run({ adapters: values.adapter ?? null });
