import { testEvent, testEvents, uniqueStream } from '@waypoint/eventstore/contract';
import { PostgresEventStore } from '@waypoint/eventstore/postgres';
import { createTestDatabase, type TestDatabase } from '@waypoint/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { applyDeduplicated, applyLogBatch, CheckpointMovedError } from './apply-batch.js';
import { ProjectionEngine } from './engine.js';
import { addGeneration, migrateRegistry, schemaName } from './registry.js';
import { replay } from './replay.js';
import { createPostgresDatabase } from './sql/postgres-database.js';
import { countingProjection, readCounts } from './testing/counting-projection.js';
import type { SqlDatabase } from './types.js';

const { postgresAdminUrl } = inject('services');

describe.skipIf(postgresAdminUrl === null)('ProjectionEngine on PostgreSQL', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  const opened: { close(): Promise<void> }[] = [];
  const readModels = (): SqlDatabase => {
    const db = createPostgresDatabase(database.url, 4);
    opened.push(db);
    return db;
  };

  beforeAll(async () => {
    database = await createTestDatabase(postgresAdminUrl ?? '', 'wp_proj');
    store = await PostgresEventStore.open({ connectionString: database.url });
  });
  afterAll(async () => {
    for (const db of opened) await db.close().catch(() => undefined);
    await store.close();
    await database.drop();
  });

  it('given events in the log, the read model holds each exactly once, and follows new ones live', async () => {
    const name = 'counts_live';
    const a = uniqueStream('live');
    const b = uniqueStream('live');
    await store.append(a, testEvents(3));
    await store.append(b, testEvents(2));
    const engine = await new ProjectionEngine({
      store,
      db: readModels(),
      projections: [countingProjection({ name, categories: ['live'] })],
      batchSize: 2,
    }).start();
    await engine.whenCaughtUp();
    const schema = await engine.schemaOf(name);
    expect(await readCounts(engine.db, schema)).toEqual({
      [a]: { events: 3, lastType: 'ThingHappened' },
      [b]: { events: 2, lastType: 'ThingHappened' },
    });

    await store.append(a, [testEvent('OtherThing')]);
    await engine.whenCaughtUp();
    expect((await readCounts(engine.db, schema))[a]).toEqual({ events: 4, lastType: 'OtherThing' });

    const [status] = await engine.status();
    expect(status).toMatchObject({ name, status: 'active', runner: 'running', eventsApplied: 6 });
    expect(status?.lag).toEqual({ eventsBehind: 0, capped: false, secondsBehind: 0 });
    await engine.stop();
  });

  it('replaying a batch twice changes nothing', async () => {
    const db = readModels();
    await migrateRegistry(db);
    const projection = countingProjection({ name: 'counts_twice', categories: ['twice'] });
    const generation = await addGeneration(db, projection.name, 1);
    const schema = schemaName(projection.name, generation.generation);
    await db.exec(`CREATE SCHEMA ${schema}`);
    await db.transaction((tx) => projection.setup(tx, schema));
    const stream = uniqueStream('twice');
    await store.append(stream, testEvents(5));
    const batch = await store.readAllBatch({
      from: '',
      maxCount: 100,
      filter: { categories: ['twice'] },
    });
    const target = { projection, generation: generation.generation };

    await applyLogBatch(db, target, '', batch.position, batch.events);
    // The same batch from the same checkpoint: refused, and nothing changes.
    await expect(applyLogBatch(db, target, '', batch.position, batch.events)).rejects.toThrow(
      CheckpointMovedError,
    );
    expect(await readCounts(db, schema)).toEqual({
      [stream]: { events: 5, lastType: 'ThingHappened' },
    });

    // Delivered twice by a bus: the event ids are recognised.
    const other = countingProjection({ name: 'counts_bus', categories: ['twice'] });
    const busGeneration = await addGeneration(db, other.name, 1);
    const busSchema = schemaName(other.name, busGeneration.generation);
    await db.exec(`CREATE SCHEMA ${busSchema}`);
    await db.transaction((tx) => other.setup(tx, busSchema));
    const busTarget = { projection: other, generation: busGeneration.generation };
    expect(await applyDeduplicated(db, busTarget, batch.events)).toMatchObject({ applied: 5 });
    expect(
      await applyDeduplicated(db, busTarget, [...batch.events, ...batch.events]),
    ).toMatchObject({ applied: 0, duplicates: 10 });
    expect(await readCounts(db, busSchema)).toEqual({
      [stream]: { events: 5, lastType: 'ThingHappened' },
    });
  });

  it('parks a poison event with its error and position, goes on, and applies it on retry once fixed', async () => {
    const name = 'counts_poison';
    const stream = uniqueStream('poison');
    await store.append(stream, [
      testEvent('Good'),
      testEvent('Bad', { poison: true }),
      testEvent('Good'),
    ]);
    const engine = await new ProjectionEngine({
      store,
      db: readModels(),
      projections: [countingProjection({ name, categories: ['poison'] })],
    }).start();
    await engine.whenCaughtUp();
    const schema = await engine.schemaOf(name);
    expect((await readCounts(engine.db, schema))[stream]).toEqual({ events: 2, lastType: 'Good' });
    const parked = await engine.parked(name);
    expect(parked).toHaveLength(1);
    expect(parked[0]).toMatchObject({ stream, revision: 1, type: 'Bad' });
    expect(parked[0]?.error).toContain('poisoned event');
    expect(parked[0]?.position).not.toBe('');

    // Still broken: it stays parked.
    const eventId = parked[0]?.eventId ?? '';
    expect(await engine.retryParked(name, eventId)).toBe('parked-again');
    await engine.stop();

    // Fixed code (a projection that no longer throws) applies it.
    const fixed = countingProjection({ name, categories: ['poison'] });
    const tolerant = {
      ...fixed,
      apply: (
        tx: Parameters<typeof fixed.apply>[0],
        events: Parameters<typeof fixed.apply>[1],
        s: string,
      ) =>
        fixed.apply(
          tx,
          events.map((event) => ({ ...event, data: { ...event.data, poison: false } })),
          s,
        ),
    };
    const again = await new ProjectionEngine({
      store,
      db: readModels(),
      projections: [tolerant],
      run: false,
    }).start();
    expect(await again.retryParked(name, eventId)).toBe('applied');
    expect(await again.parked(name)).toEqual([]);
    expect((await readCounts(again.db, schema))[stream]?.events).toBe(3);
    await again.stop();
  });

  it('runs each generation in one process only, and another takes over when it goes', async () => {
    const name = 'counts_takeover';
    const stream = uniqueStream('takeover');
    await store.append(stream, testEvents(4));
    const projection = countingProjection({ name, categories: ['takeover'] });
    const first = await new ProjectionEngine({
      store,
      db: readModels(),
      projections: [projection],
    }).start();
    const second = await new ProjectionEngine({
      store,
      db: readModels(),
      projections: [projection],
      superviseIntervalMs: 100,
    }).start();
    await first.whenCaughtUp();
    const statuses = async (engine: ProjectionEngine) =>
      (await engine.status()).find((s) => s.name === name)?.runner;
    expect(await statuses(first)).toBe('running');
    expect(await statuses(second)).toBe('standby');

    await first.stop();
    await store.append(stream, testEvents(2));
    await expect.poll(() => statuses(second), { timeout: 10_000 }).toBe('running');
    await second.whenCaughtUp();
    expect((await readCounts(second.db, await second.schemaOf(name)))[stream]?.events).toBe(6);
    await second.stop();
  });

  it('rebuilds a new version into fresh tables while the old one serves, then switches', async () => {
    const name = 'counts_bluegreen';
    const streams = Array.from({ length: 20 }, () => uniqueStream('bluegreen'));
    for (const stream of streams) await store.append(stream, testEvents(10));
    const v1 = await new ProjectionEngine({
      store,
      db: readModels(),
      projections: [countingProjection({ name, categories: ['bluegreen'] })],
    }).start();
    await v1.whenCaughtUp();
    const oldSchema = await v1.schemaOf(name);
    await v1.stop();

    // Version 2 applies slowly: the rebuild takes a while, and reads go on all along.
    const v2 = await new ProjectionEngine({
      store,
      db: readModels(),
      projections: [
        countingProjection({ name, version: 2, delayMs: 30, categories: ['bluegreen'] }),
      ],
      batchSize: 10,
      superviseIntervalMs: 100,
      retiredGraceMs: 60_000,
    }).start();
    const building = (await v2.status()).find((s) => s.name === name && s.status === 'building');
    expect(building).toBeDefined();
    let reads = 0;
    let switchedAt: number | undefined;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const schema = await v2.schemaOf(name);
      const counts = await readCounts(v2.db, schema);
      // Every read sees a complete model: all 20 streams with their 10 events.
      expect(Object.keys(counts)).toHaveLength(20);
      expect(Object.values(counts).every((c) => c.events === 10)).toBe(true);
      reads += 1;
      if (schema !== oldSchema) {
        switchedAt = reads;
        break;
      }
      if (Date.now() > deadline) throw new Error('the rebuild never switched');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(switchedAt).toBeGreaterThan(3);
    const { rows } = await v2.db.query<{ version: number }>(
      `SELECT DISTINCT version FROM ${await v2.schemaOf(name)}.counts`,
    );
    expect(rows).toEqual([{ version: 2 }]);
    const generations = (await v2.status()).filter((s) => s.name === name);
    expect(generations.map((g) => g.status)).toEqual(['retired', 'active']);
    await v2.stop();
  });

  it('fed by a bus: sets generations up, applies each event once, and rebuilds into a generation a replay fills', async () => {
    const name = 'counts_bus_fed';
    const stream = uniqueStream('busfed');
    await store.append(stream, testEvents(3));
    const events = (
      await store.readAllBatch({ from: '', maxCount: 100, filter: { categories: ['busfed'] } })
    ).events;
    const engine = await new ProjectionEngine({
      store,
      db: readModels(),
      projections: [countingProjection({ name, categories: ['busfed'] })],
      feed: 'bus',
    }).start();
    // Delivered twice, in two batches that overlap: each event counts once.
    await engine.applyFromBus(name, events.slice(0, 2));
    expect(await engine.applyFromBus(name, events)).toMatchObject({ applied: 1, duplicates: 2 });
    expect(await readCounts(engine.db, await engine.schemaOf(name))).toEqual({
      [stream]: { events: 3, lastType: 'ThingHappened' },
    });

    const rebuilt = await engine.rebuild(name);
    await engine.superviseOnce();
    // Live events reach both generations; the replay consumer fills the new one from the start.
    await engine.applyFromBus(name, events, { generation: rebuilt.generation });
    await engine.markCaughtUp(name, rebuilt.generation);
    const schema = await engine.schemaOf(name);
    expect(schema).toContain(`_g${String(rebuilt.generation)}`);
    expect(await readCounts(engine.db, schema)).toEqual({
      [stream]: { events: 3, lastType: 'ThingHappened' },
    });
    await engine.stop();
  });

  it('builds the same model in PGlite-free SQL via replay as via the engine', async () => {
    const db = readModels();
    const stream = uniqueStream('replay');
    await store.append(stream, testEvents(7));
    const events = (
      await store.readAllBatch({ from: '', maxCount: 1_000, filter: { categories: ['replay'] } })
    ).events;
    const schema = await replay(db, countingProjection({ name: 'counts_replay' }), events, 3);
    expect(await readCounts(db, schema)).toEqual({
      [stream]: { events: 7, lastType: 'ThingHappened' },
    });
  });
});
