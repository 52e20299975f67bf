import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEvents, uniqueStream } from '@waypoint/eventstore/contract';
import { SqliteEventStore } from '@waypoint/eventstore/sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { ProjectionEngine } from './engine.js';
import { createPgliteDatabase } from './sql/pglite-database.js';
import { countingProjection, readCounts } from './testing/counting-projection.js';

const folder = mkdtempSync(join(tmpdir(), 'waypoint-pglite-'));
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

describe('ProjectionEngine in the embedded mode: SQLite events, PGlite read models', () => {
  it('builds the read model on disk, and picks up from its checkpoint after a restart', async () => {
    const store = new SqliteEventStore({ file: join(folder, 'events.sqlite') });
    const stream = uniqueStream('embedded');
    await store.append(stream, testEvents(4));
    const projections = [countingProjection({ name: 'counts_embedded' })];

    const db = await createPgliteDatabase(join(folder, 'readmodels'));
    const engine = await new ProjectionEngine({ store, db, projections }).start();
    await engine.whenCaughtUp();
    expect((await readCounts(db, await engine.schemaOf('counts_embedded')))[stream]?.events).toBe(
      4,
    );
    await engine.stop();
    await db.close();

    await store.append(stream, testEvents(3));
    const reopened = await createPgliteDatabase(join(folder, 'readmodels'));
    const again = await new ProjectionEngine({ store, db: reopened, projections }).start();
    await again.whenCaughtUp();
    const [status] = await again.status();
    expect(status?.eventsApplied).toBe(7);
    expect(
      (await readCounts(reopened, await again.schemaOf('counts_embedded')))[stream]?.events,
    ).toBe(7);
    await again.stop();
    await reopened.close();
    await store.close();
  });
});
