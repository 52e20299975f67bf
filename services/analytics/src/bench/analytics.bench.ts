/**
 * The analytics benchmark: facts for 10,000 synthetic journeys built by the projection on
 * PostgreSQL, then the indicator queries (load the rows, compute in memory), each timed against
 * its baseline, iteration by iteration in the same run: the same facts rows fetched by plain SQL
 * (what every answer needs at least). It measures; it never passes or fails on a figure.
 */
import { createPostgresDatabase, replay } from '@waypoint/projections';
import { createTestDatabase, findPostgres } from '@waypoint/testing';
import { funnelSpec } from '../charts/chart-specs.js';
import { renderSvg } from '../charts/render.js';
import { sqlFactsSource, journeyFactsProjection } from '../facts/journey-facts-projection.js';
import { breakdown } from '../indicators/domain/breakdown.js';
import { selectCohort, type CohortFilter } from '../indicators/domain/cohort.js';
import { cohortFunnel } from '../indicators/domain/funnel.js';
import { computeIndicators, DEFAULT_SETTINGS } from '../indicators/domain/indicators.js';
import { DEFAULT_PRIVACY } from '../indicators/domain/privacy.js';
import { survivalCurve } from '../indicators/domain/survival.js';
import { syntheticJourneyEvents } from '../testing/synthetic-journeys.js';

/** One row of the result, in the shape of test/bench/report.ts's Workload. */
export interface AnalyticsWorkload {
  readonly name: string;
  readonly adapter: string;
  readonly unit: string;
  /** Queries per second (or events per second for the build). */
  readonly value: number;
  readonly p50_ms: number | null;
  readonly p99_ms: number | null;
  readonly baseline: number;
  /** value / baseline: 1.0 is parity with the plain SQL count. */
  readonly ratio: number;
  readonly note?: string;
}

export interface AnalyticsBenchOptions {
  readonly out: (line: string) => void;
  readonly journeys?: number;
  readonly iterations?: number;
}

function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** The work and its baseline, alternating iteration by iteration so that drift falls on both. */
async function timedPair(
  iterations: number,
  work: () => Promise<unknown>,
  baseline: () => Promise<unknown>,
): Promise<{ work: number[]; baseline: number[] }> {
  await work(); // warm-up: JIT, plan cache, connection
  await baseline();
  const samples = { work: [] as number[], baseline: [] as number[] };
  for (let index = 0; index < iterations; index += 1) {
    for (const [kind, run] of [
      ['work', work],
      ['baseline', baseline],
    ] as const) {
      const started = performance.now();
      await run();
      samples[kind].push(performance.now() - started);
    }
  }
  return {
    work: samples.work.sort((a, b) => a - b),
    baseline: samples.baseline.sort((a, b) => a - b),
  };
}

const rateOf = (samples: readonly number[]): number =>
  1_000 / (samples.reduce((sum, ms) => sum + ms, 0) / samples.length);

const round = (value: number, digits = 2): number =>
  Math.round(value * 10 ** digits) / 10 ** digits;

export async function runAnalyticsBench(
  options: AnalyticsBenchOptions,
): Promise<AnalyticsWorkload[]> {
  const journeys = options.journeys ?? 10_000;
  const iterations = options.iterations ?? 30;
  const postgres = await findPostgres();
  if ('missing' in postgres)
    throw new Error(`analytics bench needs PostgreSQL: ${postgres.missing}`);
  const database = await createTestDatabase(postgres.adminUrl, 'wp_bench_analytics');
  const db = createPostgresDatabase(database.url, 2);
  try {
    const events = syntheticJourneyEvents(journeys, 42);
    options.out(`building facts: ${String(journeys)} journeys, ${String(events.length)} events`);
    const buildStarted = performance.now();
    const schema = await replay(db, journeyFactsProjection, events, 1_000);
    const buildMs = performance.now() - buildStarted;
    const source = sqlFactsSource(db, () => Promise.resolve(schema));
    const asOf = '2026-01-01T00:00:00.000Z';
    const context = { rules: DEFAULT_PRIVACY, settings: DEFAULT_SETTINGS, asOf };
    const cohort = async (filter: CohortFilter = {}) =>
      selectCohort(await source.load({ consentedOnly: true }), filter, DEFAULT_PRIVACY, asOf);

    // What every query needs at least: the same facts rows, fetched and parsed by plain SQL.
    const sameRows = () => db.query(`SELECT facts FROM ${schema}.facts WHERE consent_reporting`);
    const queries: [string, () => Promise<unknown>][] = [
      [
        'load facts rows, cold reader (every row)',
        () => sqlFactsSource(db, () => Promise.resolve(schema)).load({ consentedOnly: true }),
      ],
      [
        'load facts rows, warm reader (rows changed since)',
        () => source.load({ consentedOnly: true }),
      ],
      [
        'indicators, all journeys, cold reader',
        async () =>
          computeIndicators(
            selectCohort(
              await sqlFactsSource(db, () => Promise.resolve(schema)).load({ consentedOnly: true }),
              {},
              DEFAULT_PRIVACY,
              asOf,
            ),
            context,
          ),
      ],
      ['indicators, all journeys', async () => computeIndicators(await cohort(), context)],
      [
        'indicators, filtered',
        async () =>
          computeIndicators(await cohort({ gender: 'Feminine', fromYear: 2023 }), context),
      ],
      [
        'breakdown by exploitation type',
        async () => breakdown(await cohort(), 'exploitationType', context),
      ],
      ['breakdown by quarter', async () => breakdown(await cohort(), 'quarter', context)],
      [
        'Kaplan-Meier time to shelter',
        async () => survivalCurve(await cohort(), 'time_to_shelter', DEFAULT_PRIVACY, asOf),
      ],
      [
        'funnel chart as SVG',
        async () => renderSvg(funnelSpec(cohortFunnel(await cohort(), DEFAULT_PRIVACY))),
      ],
    ];
    const workloads: AnalyticsWorkload[] = [
      {
        name: 'build facts (projection replay, 1,000-event batches)',
        adapter: 'postgres',
        unit: 'events/s',
        value: round(events.length / (buildMs / 1_000), 0),
        p50_ms: null,
        p99_ms: null,
        baseline: 0,
        ratio: 0,
        note: `setup, no baseline: ${String(journeys)} journeys in ${String(round(buildMs / 1_000, 1))} s`,
      },
    ];
    for (const [name, work] of queries) {
      const samples = await timedPair(iterations, work, sameRows);
      const rate = rateOf(samples.work);
      const baselineRate = rateOf(samples.baseline);
      workloads.push({
        name,
        adapter: 'postgres',
        unit: 'queries/s',
        value: round(rate, 1),
        p50_ms: round(percentile(samples.work, 50), 3),
        p99_ms: round(percentile(samples.work, 99), 3),
        baseline: round(baselineRate, 1),
        ratio: round(rate / baselineRate, 4),
        note: `baseline: the same facts rows (consented) fetched by plain SQL, alternating with the query; p50 ${String(round(percentile(samples.baseline, 50), 3))} ms`,
      });
    }
    const header = ['workload', 'unit', 'value', 'p50 ms', 'p99 ms', 'ratio to baseline'];
    const rows = workloads.map((w) => [
      w.name,
      w.unit,
      String(w.value),
      w.p50_ms === null ? '-' : String(w.p50_ms),
      w.p99_ms === null ? '-' : String(w.p99_ms),
      w.ratio === 0 ? '-' : String(w.ratio),
    ]);
    const widths = header.map((title, column) =>
      Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
    );
    const line = (cells: readonly string[]): string =>
      cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ');
    options.out(line(header));
    for (const row of rows) options.out(line(row));
    for (const w of workloads) if (w.note !== undefined) options.out(`${w.name}: ${w.note}`);
    return workloads;
  } finally {
    await db.close();
    await database.drop();
    await postgres.stop();
  }
}

/** The entry `pnpm bench analytics` calls (test/bench/run.ts's suite shape). */
export async function run(): Promise<void> {
  await runAnalyticsBench({
    out: (line) => {
      process.stdout.write(`${line}\n`);
    },
  });
}
