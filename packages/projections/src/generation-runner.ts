import type { EventStore, Position, RecordedEvent, Subscription } from '@waypoint/eventstore';
import { applyLogBatch, CheckpointMovedError } from './apply-batch.js';
import { getGeneration } from './registry.js';
import { setupGeneration } from './setup-generation.js';
import type { HeldLock, Projection, SqlDatabase } from './types.js';

export interface RunnerLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface GenerationRunnerOptions {
  readonly store: EventStore;
  readonly db: SqlDatabase;
  readonly projection: Projection;
  readonly generation: number;
  readonly batchSize: number;
  readonly pollIntervalMs: number;
  readonly log: RunnerLog;
  /** Called after each batch: the engine counts applied and parked events. */
  readonly onBatch?: (
    outcome: { applied: number; parked: number },
    events: readonly RecordedEvent[],
  ) => void;
}

export type RunnerState = 'standby' | 'running' | 'stopped' | 'failed';

export function lockKey(name: string, generation: number): string {
  return `projection:${name}:${String(generation)}`;
}

/**
 * Runs one generation of one projection, if it can take the generation's lock: only one runner
 * in all processes writes a generation at a time, and a runner whose process dies lets another
 * take over (the lock dies with its connection). Creates the generation's tables first when they
 * are not there yet.
 */
export class GenerationRunner {
  private lock: HeldLock | undefined;
  private subscription: Subscription | undefined;
  private current: RunnerState = 'standby';
  private lastError: string | undefined;

  constructor(private readonly options: GenerationRunnerOptions) {}

  get state(): RunnerState {
    return this.current;
  }

  get error(): string | undefined {
    return this.lastError;
  }

  get generation(): number {
    return this.options.generation;
  }

  /** Takes the lock and starts; false when another runner holds it (try again later). */
  async tryStart(): Promise<boolean> {
    if (this.current === 'running') return true;
    const { db, projection, generation } = this.options;
    const lock = await db.tryLock(lockKey(projection.name, generation));
    if (!lock) {
      this.current = 'standby';
      return false;
    }
    try {
      const from = await this.prepare();
      this.lock = lock;
      this.current = 'running';
      this.follow(from);
      void lock.lost.then(() => {
        if (this.current === 'running') {
          this.options.log.warn(
            { projection: projection.name, generation },
            'projection lock lost: stopping this runner',
          );
          void this.halt('standby');
        }
      });
      return true;
    } catch (error) {
      await lock.release().catch(() => undefined);
      throw error;
    }
  }

  private async prepare(): Promise<Position> {
    const { db, projection, generation } = this.options;
    const row = await getGeneration(db, projection.name, generation);
    if (!row) throw new Error(`no generation ${String(generation)} of ${projection.name}`);
    if (!row.ready) {
      await setupGeneration(db, projection, generation);
      return '';
    }
    return row.position;
  }

  private follow(from: Position): void {
    const { store, db, projection, generation, batchSize, pollIntervalMs, log } = this.options;
    let position = from;
    const subscription = store.subscribe(
      {
        from,
        batchSize,
        pollIntervalMs,
        ...(projection.filter ? { filter: projection.filter } : {}),
      },
      async (batch) => {
        const outcome = await applyLogBatch(
          db,
          { projection, generation },
          position,
          batch.position,
          batch.events,
        );
        position = batch.position;
        if (outcome.parked > 0)
          log.warn(
            { projection: projection.name, generation, parked: outcome.parked },
            'events parked: see `projections parked`',
          );
        this.options.onBatch?.(outcome, batch.events);
      },
    );
    this.subscription = subscription;
    subscription.done.catch((error: unknown) => {
      if (this.current !== 'running') return;
      this.lastError = error instanceof Error ? error.message : String(error);
      if (error instanceof CheckpointMovedError)
        log.warn({ projection: projection.name, generation }, this.lastError);
      else
        log.error(
          { projection: projection.name, generation, err: this.lastError },
          'projection runner failed; it will be restarted',
        );
      void this.halt('failed');
    });
  }

  /** Resolves once every event committed before the call has taken effect. */
  async whenCaughtUp(): Promise<void> {
    if (!this.subscription || this.current !== 'running')
      throw new Error(`runner of ${this.options.projection.name} is ${this.current}`);
    await this.subscription.whenCaughtUp();
  }

  private async halt(next: RunnerState): Promise<void> {
    this.current = next;
    const subscription = this.subscription;
    const lock = this.lock;
    this.subscription = undefined;
    this.lock = undefined;
    await subscription?.stop().catch(() => undefined);
    await lock?.release().catch(() => undefined);
  }

  async stop(): Promise<void> {
    await this.halt('stopped');
  }
}
