/**
 * Rebuilds the journey read model in a process of its own, so that its peak resident memory is
 * the projection's alone. Prints one JSON line: events, seconds, peak RSS and RSS along the way.
 */
import { journeyProjection, DEFAULT_DUE_POLICY } from '@waypoint/journey-service';
import { PostgresEventStore } from '@waypoint/eventstore/postgres';
import { createPostgresDatabase, ProjectionEngine } from '@waypoint/projections';

const [storeUrl, readUrl, batch] = process.argv.slice(2);
if (!storeUrl || !readUrl)
  throw new Error('usage: rebuild-child <store url> <read-model url> [batch]');
const store = await PostgresEventStore.open({ connectionString: storeUrl });
const db = createPostgresDatabase(readUrl, 4);
let peak = process.memoryUsage().rss;
const samples: { applied: number; rssMb: number }[] = [];
const engine = new ProjectionEngine({
  store,
  db,
  projections: [journeyProjection(DEFAULT_DUE_POLICY)],
  batchSize: Number(batch ?? 2_000),
});
let lastSample = 0;
const timer = setInterval(() => {
  const rss = process.memoryUsage().rss;
  peak = Math.max(peak, rss);
  if (engine.counters.applied - lastSample >= 100_000) {
    lastSample = engine.counters.applied;
    samples.push({ applied: engine.counters.applied, rssMb: Math.round(rss / 1048576) });
  }
}, 20);
const started = performance.now();
await engine.start();
await engine.whenCaughtUp();
const seconds = (performance.now() - started) / 1000;
clearInterval(timer);
const [status] = await engine.status();
process.stdout.write(
  `${JSON.stringify({
    events: status?.eventsApplied ?? 0,
    seconds,
    peakRssMb: Math.round(Math.max(peak, process.memoryUsage().rss) / 1048576),
    samples,
  })}\n`,
);
await engine.stop();
await db.close();
await store.close();
