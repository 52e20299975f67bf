import type { EventStore, RecordedEvent } from '@waypoint/eventstore';
import { applyEachOrPark, applyDeduplicated, type BatchOutcome } from './apply-batch.js';
import { GenerationRunner, type RunnerLog } from './generation-runner.js';
import { setupGeneration } from './setup-generation.js';
import { measureLag, type Lag } from './lag.js';
import {
  addGeneration,
  assertProjectionName,
  listGenerations,
  migrateRegistry,
  schemaName,
  type Generation,
} from './registry.js';
import type { Projection, SqlDatabase } from './types.js';

export interface ProjectionEngineOptions {
  readonly store: EventStore;
  readonly db: SqlDatabase;
  readonly projections: readonly Projection[];
  /** Events per transaction. Default 1,000. */
  readonly batchSize?: number;
  readonly pollIntervalMs?: number;
  /** How often generations are checked (takeover, switch, retired schemas). Default 1 s. */
  readonly superviseIntervalMs?: number;
  /** How long a retired generation's tables stay, for readers that still hold its name. Default 10 s. */
  readonly retiredGraceMs?: number;
  /**
   * Where events come from. `store` (the default): runners read the store's global log. `bus`:
   * a consumer hands batches to `applyFromBus`; the engine only sets generations up and switches
   * them (see `markCaughtUp`).
   */
  readonly feed?: 'store' | 'bus';
  /** Run the runners here; false for a process that only reads (or a CLI that only reports). */
  readonly run?: boolean;
  readonly log?: RunnerLog;
  readonly now?: () => Date;
  /** Called after each batch committed, with its events (metrics, benchmarks, tests). */
  readonly onApplied?: (name: string, events: readonly RecordedEvent[]) => void;
}

export interface ParkedEvent {
  readonly name: string;
  readonly generation: number;
  readonly eventId: string;
  readonly position: string;
  readonly stream: string;
  readonly revision: number;
  readonly type: string;
  readonly error: string;
  readonly parkedAt: string;
}

export interface GenerationStatus extends Generation {
  /** Where this process stands with it: running here, waiting for the lock, or not run here. */
  readonly runner: 'running' | 'standby' | 'failed' | 'stopped' | 'elsewhere';
  readonly lag: Lag;
  readonly parked: number;
}

const silent: RunnerLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms).unref();
  });

/**
 * Keeps every projection's read model up to date: creates the first generation, runs the active
 * one (and a building one during a rebuild) where it can take the lock, switches to a rebuilt
 * generation once it has caught up, and drops retired tables after a grace period.
 */
export class ProjectionEngine {
  private readonly projections = new Map<string, Projection>();
  private readonly runners = new Map<string, GenerationRunner>();
  private readonly schemaCache = new Map<string, { schema: string; until: number }>();
  private readonly log: RunnerLog;
  private readonly now: () => Date;
  private supervising: Promise<void> | undefined;
  private stopped = false;
  private loop: Promise<void> | undefined;
  readonly counters = { applied: 0, parked: 0, duplicates: 0 };

  constructor(private readonly options: ProjectionEngineOptions) {
    for (const projection of options.projections) {
      assertProjectionName(projection.name);
      if (this.projections.has(projection.name))
        throw new Error(`two projections are named ${projection.name}`);
      this.projections.set(projection.name, projection);
    }
    this.log = options.log ?? silent;
    this.now = options.now ?? (() => new Date());
  }

  get db(): SqlDatabase {
    return this.options.db;
  }

  projection(name: string): Projection {
    const projection = this.projections.get(name);
    if (!projection) throw new UnknownProjectionError(name);
    return projection;
  }

  /** Creates the engine's tables and the first generations, then supervises in the background. */
  async start(): Promise<this> {
    await migrateRegistry(this.options.db);
    await this.superviseOnce();
    if (this.options.run !== false) {
      const interval = this.options.superviseIntervalMs ?? 1_000;
      this.loop = (async () => {
        for (;;) {
          await sleep(interval);
          if (this.stopped) break;
          await this.superviseOnce().catch((error: unknown) => {
            this.log.error({ err: String(error) }, 'projection supervision failed');
          });
        }
      })();
    }
    return this;
  }

  /** One pass: what should run here, what to switch, what to drop. */
  superviseOnce(): Promise<void> {
    this.supervising ??= this.supervise().finally(() => {
      this.supervising = undefined;
    });
    return this.supervising;
  }

  private async supervise(): Promise<void> {
    const { db } = this.options;
    for (const projection of this.projections.values()) {
      let generations = await listGenerations(db, projection.name);
      const active = generations.find((g) => g.status === 'active');
      const building = generations.find((g) => g.status === 'building');
      if (
        !active ||
        (active.version < projection.version && building?.version !== projection.version)
      ) {
        const created = await addGeneration(db, projection.name, projection.version);
        this.log.info(
          { projection: projection.name, generation: created.generation, status: created.status },
          created.status === 'active'
            ? 'read model created: it fills from the events'
            : 'read model version changed: rebuilding it beside the one that serves',
        );
        generations = await listGenerations(db, projection.name);
      }
      if (this.options.feed === 'bus') {
        for (const generation of generations)
          if (generation.status !== 'retired' && !generation.ready)
            await setupGeneration(db, projection, generation.generation);
        this.generationCache.delete(projection.name);
        await this.dropRetired(projection.name, generations);
        continue;
      }
      if (this.options.run === false) continue;
      for (const generation of generations) {
        const key = `${projection.name}:${String(generation.generation)}`;
        const runner = this.runners.get(key);
        if (generation.status === 'retired') {
          if (runner) {
            await runner.stop();
            this.runners.delete(key);
          }
          continue;
        }
        if (generation.version > projection.version) {
          this.log.warn(
            { projection: projection.name, generation: generation.generation },
            'a newer version of this read model exists: this process leaves it to newer code',
          );
          continue;
        }
        const current =
          runner ??
          new GenerationRunner({
            store: this.options.store,
            db,
            projection,
            generation: generation.generation,
            batchSize: this.options.batchSize ?? 1_000,
            pollIntervalMs: this.options.pollIntervalMs ?? 500,
            log: this.log,
            onBatch: (outcome, events) => {
              this.counters.applied += outcome.applied;
              this.counters.parked += outcome.parked;
              this.options.onApplied?.(projection.name, events);
            },
          });
        this.runners.set(key, current);
        if (current.state !== 'running') await current.tryStart();
        if (generation.status === 'building' && current.state === 'running')
          void this.switchWhenCaughtUp(projection.name, current);
      }
      await this.dropRetired(projection.name, generations);
    }
  }

  private readonly switching = new Set<string>();

  private async switchWhenCaughtUp(name: string, runner: GenerationRunner): Promise<void> {
    const key = `${name}:${String(runner.generation)}`;
    if (this.switching.has(key)) return;
    this.switching.add(key);
    try {
      await runner.whenCaughtUp();
      if (!(await this.activate(name, runner.generation))) return;
      this.log.info(
        { projection: name, generation: runner.generation },
        'rebuilt read model caught up: it serves from now on',
      );
      await this.superviseOnce();
    } catch (error) {
      this.log.warn(
        { projection: name, err: String(error) },
        'switch to the rebuilt model deferred',
      );
    } finally {
      this.switching.delete(key);
    }
  }

  private async dropRetired(name: string, generations: readonly Generation[]): Promise<void> {
    const grace = this.options.retiredGraceMs ?? 10_000;
    for (const generation of generations) {
      if (generation.status !== 'retired' || generation.retiredAt === null) continue;
      if (Date.parse(generation.retiredAt) + grace > this.now().getTime()) continue;
      await this.options.db.transaction(async (tx) => {
        await tx.query(`DROP SCHEMA IF EXISTS ${schemaName(name, generation.generation)} CASCADE`);
        await tx.query('DELETE FROM wp_projection_parked WHERE name = $1 AND generation = $2', [
          name,
          generation.generation,
        ]);
        await tx.query('DELETE FROM wp_projection_seen WHERE name = $1 AND generation = $2', [
          name,
          generation.generation,
        ]);
        await tx.query(
          'DELETE FROM wp_projection_generations WHERE name = $1 AND generation = $2',
          [name, generation.generation],
        );
      });
    }
  }

  /** The quoted schema of the generation that serves reads now: `${schema}.table` in queries. */
  async schemaOf(name: string): Promise<string> {
    this.projection(name);
    const cached = this.schemaCache.get(name);
    const now = Date.now();
    if (cached && cached.until > now) return cached.schema;
    const { rows } = await this.options.db.query<{ generation: number }>(
      `SELECT generation FROM wp_projection_generations WHERE name = $1 AND status = 'active'`,
      [name],
    );
    const row = rows[0];
    if (!row) throw new Error(`read model ${name} has no active generation yet`);
    const schema = schemaName(name, row.generation);
    this.schemaCache.set(name, { schema, until: now + 1_000 });
    return schema;
  }

  /**
   * Resolves once every event committed before the call has reached the active read models (and
   * a building one, when `includeBuilding`). Runs supervision first, so new generations start.
   */
  async whenCaughtUp(names?: readonly string[]): Promise<void> {
    await this.superviseOnce();
    const wanted = names ?? [...this.projections.keys()];
    for (const name of wanted) {
      const projection = this.projection(name);
      const active = (await listGenerations(this.options.db, name)).find(
        (g) => g.status === 'active',
      );
      if (!active) continue;
      const runner = this.runners.get(`${name}:${String(active.generation)}`);
      if (runner?.state === 'running') {
        await runner.whenCaughtUp();
        continue;
      }
      // Run elsewhere: wait until its checkpoint has reached what is committed now.
      for (;;) {
        const lag = await measureLag(this.options.store, projection, active, this.now(), 1);
        if (lag.eventsBehind === 0) break;
        await sleep(50);
      }
    }
  }

  async status(): Promise<GenerationStatus[]> {
    const generations = await listGenerations(this.options.db);
    const { rows } = await this.options.db.query<{ name: string; generation: number; n: string }>(
      'SELECT name, generation, count(*) AS n FROM wp_projection_parked GROUP BY name, generation',
    );
    const parked = new Map(
      rows.map((row) => [`${row.name}:${String(row.generation)}`, Number(row.n)]),
    );
    const result: GenerationStatus[] = [];
    for (const generation of generations) {
      const projection = this.projections.get(generation.name);
      const key = `${generation.name}:${String(generation.generation)}`;
      const lag =
        projection && generation.status !== 'retired'
          ? await measureLag(this.options.store, projection, generation, this.now())
          : { eventsBehind: 0, capped: false, secondsBehind: 0 };
      result.push({
        ...generation,
        runner: this.runners.get(key)?.state ?? 'elsewhere',
        lag,
        parked: parked.get(key) ?? 0,
      });
    }
    return result;
  }

  /** Starts a rebuild into fresh tables; the active generation serves until it has caught up. */
  async rebuild(name: string): Promise<Generation> {
    const projection = this.projection(name);
    const generations = await listGenerations(this.options.db, name);
    const building = generations.find((g) => g.status === 'building');
    const created = building ?? (await addGeneration(this.options.db, name, projection.version));
    await this.superviseOnce();
    return created;
  }

  /** Resolves when the generation serves reads (after a rebuild switched to it). */
  async whenActive(name: string, generation: number, timeoutMs = 3_600_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = (await listGenerations(this.options.db, name)).find(
        (g) => g.generation === generation,
      );
      if (found?.status === 'active') return;
      if (!found || found.status === 'retired')
        throw new Error(`generation ${String(generation)} of ${name} was retired before it served`);
      if (Date.now() > deadline)
        throw new Error(`generation ${String(generation)} of ${name} is still building`);
      await this.superviseOnce();
      await sleep(200);
    }
  }

  async parked(name?: string): Promise<ParkedEvent[]> {
    const { rows } = await this.options.db.query<{
      name: string;
      generation: number;
      event_id: string;
      position: string;
      stream: string;
      revision: string | number;
      type: string;
      error: string;
      parked_at: Date | string;
    }>(
      `SELECT * FROM wp_projection_parked ${name === undefined ? '' : 'WHERE name = $1'}
       ORDER BY name, generation, position`,
      name === undefined ? [] : [name],
    );
    return rows.map((row) => ({
      name: row.name,
      generation: row.generation,
      eventId: row.event_id,
      position: row.position,
      stream: row.stream,
      revision: Number(row.revision),
      type: row.type,
      error: row.error,
      parkedAt: new Date(row.parked_at).toISOString(),
    }));
  }

  /**
   * Applies a parked event again (after the projection was fixed). It stays parked, with the new
   * error, when it fails again.
   */
  async retryParked(name: string, eventId: string): Promise<'applied' | 'parked-again'> {
    const projection = this.projection(name);
    const entry = (await this.parked(name)).find((p) => p.eventId === eventId);
    if (!entry) throw new Error(`event ${eventId} is not parked for ${name}`);
    let event: RecordedEvent | undefined;
    for await (const candidate of this.options.store.readStream(entry.stream, {
      from: entry.revision,
      maxCount: 1,
    }))
      event = candidate;
    if (event?.id !== eventId) throw new Error(`event ${eventId} is no longer in ${entry.stream}`);
    const found = event;
    const outcome: BatchOutcome = await this.options.db.transaction(async (tx) => {
      await tx.query(
        'DELETE FROM wp_projection_parked WHERE name = $1 AND generation = $2 AND event_id = $3',
        [name, entry.generation, eventId],
      );
      return applyEachOrPark(tx, { projection, generation: entry.generation }, [found]);
    });
    return outcome.parked === 0 ? 'applied' : 'parked-again';
  }

  /**
   * For consumers fed by Kafka instead of the store: applies a batch to the active generation (and
   * to a building one), or to the one generation named (the consumer replaying the topics into a
   * rebuild), skipping event ids already applied.
   */
  async applyFromBus(
    name: string,
    events: readonly RecordedEvent[],
    options: { readonly generation?: number } = {},
  ): Promise<BatchOutcome & { duplicates: number }> {
    const projection = this.projection(name);
    const accepted = events.filter((event) => matches(projection, event));
    const generations = (await this.busGenerations(name)).filter(
      (g) =>
        g.status !== 'retired' &&
        g.ready &&
        (options.generation === undefined || g.generation === options.generation),
    );
    let total = { applied: 0, parked: 0, duplicates: 0 };
    for (const generation of generations) {
      const outcome = await this.groupCommit(
        { projection, generation: generation.generation },
        accepted,
      );
      if (generation.status === 'active' || options.generation !== undefined) total = outcome;
    }
    this.options.onApplied?.(name, accepted);
    return total;
  }

  private readonly busQueues = new Map<
    string,
    {
      busy: boolean;
      waiting: {
        events: readonly RecordedEvent[];
        resolve: (outcome: BatchOutcome & { duplicates: number }) => void;
        reject: (error: unknown) => void;
      }[];
    }
  >();

  /**
   * Batches of one generation are applied one at a time (see `applyDeduplicated`); while one
   * transaction runs, the batches that arrive (from other partitions and topics) wait and then go
   * together in the next one: a group commit, so that many small Kafka batches cost a few
   * transactions, not one each. Every caller resolves once its events are committed, with the
   * outcome of the transaction that held them.
   */
  private groupCommit(
    target: { readonly projection: Projection; readonly generation: number },
    events: readonly RecordedEvent[],
  ): Promise<BatchOutcome & { duplicates: number }> {
    const key = `${target.projection.name}:${String(target.generation)}`;
    const queue = this.busQueues.get(key) ?? { busy: false, waiting: [] };
    this.busQueues.set(key, queue);
    const done = new Promise<BatchOutcome & { duplicates: number }>((resolve, reject) => {
      queue.waiting.push({ events, resolve, reject });
    });
    if (!queue.busy) void this.drain(queue, target);
    return done;
  }

  private async drain(
    queue: NonNullable<ReturnType<typeof this.busQueues.get>>,
    target: { readonly projection: Projection; readonly generation: number },
  ): Promise<void> {
    queue.busy = true;
    try {
      for (let batch = queue.waiting.splice(0); batch.length > 0; batch = queue.waiting.splice(0)) {
        try {
          const outcome = await applyDeduplicated(
            this.options.db,
            target,
            batch.flatMap((entry) => entry.events),
          );
          this.counters.applied += outcome.applied;
          this.counters.parked += outcome.parked;
          this.counters.duplicates += outcome.duplicates;
          for (const entry of batch) entry.resolve(outcome);
        } catch (error) {
          for (const entry of batch) entry.reject(error);
        }
      }
    } finally {
      queue.busy = false;
    }
  }

  private readonly generationCache = new Map<
    string,
    { generations: Generation[]; until: number }
  >();

  /** The generations a bus batch goes to, read again at most every second. */
  private async busGenerations(name: string): Promise<Generation[]> {
    const cached = this.generationCache.get(name);
    const now = Date.now();
    if (cached && cached.until > now) return cached.generations;
    const generations = await listGenerations(this.options.db, name);
    this.generationCache.set(name, { generations, until: now + 1_000 });
    return generations;
  }

  /**
   * For a bus-fed rebuild: the consumer that replays the topics from their start into a building
   * generation says when it has reached the end offsets it saw when it started; the generation
   * then serves, as a store-fed one does once caught up.
   */
  async markCaughtUp(name: string, generation: number): Promise<void> {
    this.projection(name);
    await this.activate(name, generation);
  }

  private async activate(name: string, generation: number): Promise<boolean> {
    const switched = await this.options.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(7302, hashtext($1))', [name]);
      const { rows } = await tx.query(
        `SELECT 1 FROM wp_projection_generations WHERE name = $1 AND generation = $2 AND status = 'building'`,
        [name, generation],
      );
      if (rows.length === 0) return false;
      await tx.query(
        `UPDATE wp_projection_generations SET status = 'retired', retired_at = now(), updated_at = now()
         WHERE name = $1 AND status = 'active'`,
        [name],
      );
      await tx.query(
        `UPDATE wp_projection_generations SET status = 'active', updated_at = now()
         WHERE name = $1 AND generation = $2`,
        [name, generation],
      );
      return true;
    });
    this.schemaCache.delete(name);
    this.generationCache.delete(name);
    return switched;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.supervising?.catch(() => undefined);
    for (const runner of this.runners.values()) await runner.stop();
    this.runners.clear();
    await this.loop;
  }
}

function matches(projection: Projection, event: RecordedEvent): boolean {
  const filter = projection.filter;
  if (!filter) return true;
  if (filter.eventTypes && !filter.eventTypes.includes(event.type)) return false;
  if (filter.categories && !filter.categories.some((c) => event.stream.startsWith(`${c}-`)))
    return false;
  return true;
}

export class UnknownProjectionError extends Error {
  constructor(readonly projectionName: string) {
    super(`no read model is named ${projectionName}`);
    this.name = 'UnknownProjectionError';
  }
}
