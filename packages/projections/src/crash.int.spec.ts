import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { testEvents, uniqueStream } from '@waypoint/eventstore/contract';
import { PostgresEventStore } from '@waypoint/eventstore/postgres';
import { createTestDatabase, type TestDatabase } from '@waypoint/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ProjectionEngine } from './engine.js';
import { replay } from './replay.js';
import { createPostgresDatabase } from './sql/postgres-database.js';
import { countingProjection, readCounts } from './testing/counting-projection.js';

const here = dirname(fileURLToPath(import.meta.url));
const { postgresAdminUrl } = inject('services');

describe.skipIf(postgresAdminUrl === null)('a projector process killed mid-batch', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  beforeAll(async () => {
    database = await createTestDatabase(postgresAdminUrl ?? '', 'wp_proj_crash');
    store = await PostgresEventStore.open({ connectionString: database.url });
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('leaves a read model that, once restarted, equals a fresh rebuild', async () => {
    const streams = Array.from({ length: 40 }, () => uniqueStream('crash'));
    for (const stream of streams) await store.append(stream, testEvents(25));

    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(here, 'fixtures', 'project-until-killed.ts'), database.url, 'crash'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    // Let a few batches commit, then kill it while the next one is inside its transaction.
    for (;;) {
      const line = await lines.next();
      if (line.done) throw new Error('the projector ended early');
      if (Number(line.value) >= 200) break;
    }
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    const db = createPostgresDatabase(database.url, 2);
    const engine = await new ProjectionEngine({
      store,
      db,
      projections: [countingProjection({ name: 'counts_crash', categories: ['crash'] })],
      batchSize: 100,
    }).start();
    const before = await engine.status();
    expect(before[0]?.eventsApplied).toBeGreaterThanOrEqual(200);
    expect(before[0]?.eventsApplied).toBeLessThan(1_000);
    await engine.whenCaughtUp();
    const restarted = await readCounts(db, await engine.schemaOf('counts_crash'));

    const events = (
      await store.readAllBatch({ from: '', maxCount: 5_000, filter: { categories: ['crash'] } })
    ).events;
    const fresh = await readCounts(
      db,
      await replay(db, countingProjection({ name: 'counts_fresh' }), events),
    );
    expect(restarted).toEqual(fresh);
    expect(Object.values(restarted).every((c) => c.events === 25)).toBe(true);
    await engine.stop();
    await db.close();
  });
});
