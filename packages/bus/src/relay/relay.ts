import {
  START,
  type EventStore,
  type Position,
  type RecordedEvent,
  type Subscription,
  type SubscriptionBatch,
} from '@waypoint/eventstore';
import {
  StoppedError,
  aborted,
  asError,
  backoffDelay,
  retryUntilDone,
  sleep,
  type BackoffOptions,
} from '../backoff.js';
import type { Bus, BusLogger, BusMessage } from '../bus.js';
import { serviceTopic } from '../topics.js';
import type { CheckpointStore } from './checkpoint-store.js';
import { eventsRoute, integrationRoute, type RelayRoute } from './routes.js';

/** Callbacks a service wires to its metrics registry; the relay itself depends on none. */
export interface RelayMetrics {
  /** A batch was acknowledged by the bus and checkpointed. */
  relayed?(events: number, messages: number): void;
  /** A publish or a checkpoint read or write failed; the relay backs off and tries again. */
  failed?(error: Error): void;
  /** Time from the store recording the batch's first event to the bus acknowledging it. */
  lag?(ms: number): void;
}

export interface RelayStatus {
  /** False from a failed publish, read or checkpoint until the next one succeeds: for readiness. */
  readonly healthy: boolean;
  readonly lastError: { readonly message: string; readonly at: string } | null;
  readonly eventsRelayed: number;
  readonly failures: number;
  /** How long the oldest event read but not yet acknowledged has waited since it was recorded. */
  readonly lagMs: number;
  /** The checkpoint: every event of the categories before it is on the bus. */
  readonly position: Position;
  readonly running: boolean;
  /** False while another instance holds the relay's lock and this one waits to take over. */
  readonly active: boolean;
}

/** A lock held until released or lost (its connection died): one active relay per service. */
export interface RelayLock {
  readonly lost: Promise<void>;
  release(): Promise<void>;
}

export interface RelayOptions {
  /** The checkpoint's name: one relay per service, named after it. */
  readonly name: string;
  readonly store: EventStore;
  readonly bus: Bus;
  readonly checkpoints: CheckpointStore;
  /** The stream categories the service writes: only their events are relayed. */
  readonly categories: readonly string[];
  readonly routes: readonly RelayRoute[];
  /** Events read and published at once. Default 500. */
  readonly batchSize?: number;
  readonly pollIntervalMs?: number;
  /**
   * Once caught up, how long new events gather before the relay reads and publishes them: larger
   * batches per partition for consumers, at the cost of that much latency. Default 0.
   */
  readonly gatherMs?: number;
  readonly backoff?: BackoffOptions;
  readonly metrics?: RelayMetrics;
  readonly logger?: BusLogger;
  /**
   * Takes the relay's lock, or gives null when another instance holds it. With it, only one
   * instance of a service relays at a time and the others wait to take over (every few seconds);
   * without it, every instance relays (harmless, consumers deduplicate, but the traffic doubles).
   */
  readonly acquire?: () => Promise<RelayLock | null>;
  /** How often a standby instance tries to take the lock. Default 2 s. */
  readonly standbyPollMs?: number;
  /** Milliseconds since the epoch, for the lag. */
  readonly now?: () => number;
}

/** A service's routes: its own topic, and the curated integration topic when it has public events. */
export function serviceRoutes(
  service: string,
  options: { readonly integration?: boolean } = {},
): RelayRoute[] {
  const routes = [eventsRoute(serviceTopic(service))];
  if (options.integration) routes.push(integrationRoute());
  return routes;
}

/**
 * Forwards a service's events from the store's global log to the bus, from a checkpoint. A batch's
 * checkpoint is saved only after the bus acknowledged every message of it, so delivery is at least
 * once: a crash between the two sends the batch again, and consumers deduplicate by event id.
 * Whatever fails (the broker, the store, the checkpoint table) is retried after a capped
 * exponential backoff, with the relay reporting itself unhealthy until it succeeds.
 */
export class Relay {
  private readonly stopping = new AbortController();
  private readonly now: () => number;
  private readonly loop: Promise<void>;
  private subscription: Subscription | undefined;
  private position: Position = START;
  private healthy = true;
  private lastError: RelayStatus['lastError'] = null;
  private eventsRelayed = 0;
  private failures = 0;
  private consecutiveFailures = 0;
  private oldestPending: RecordedEvent | undefined;
  private active = false;

  private constructor(private readonly options: RelayOptions) {
    this.now = options.now ?? Date.now;
    this.loop = this.run();
  }

  static start(options: RelayOptions): Relay {
    return new Relay(options);
  }

  status(): RelayStatus {
    return {
      healthy: this.healthy,
      lastError: this.lastError,
      eventsRelayed: this.eventsRelayed,
      failures: this.failures,
      lagMs: this.oldestPending ? this.sinceRecorded(this.oldestPending) : 0,
      position: this.position,
      running: !this.stopping.signal.aborted,
      active: this.active,
    };
  }

  /** Resolves once every event committed before the call is on the bus and checkpointed. */
  async whenCaughtUp(): Promise<void> {
    for (;;) {
      if (this.stopping.signal.aborted) throw new Error('The relay is stopped');
      const subscription = this.subscription;
      if (subscription) {
        try {
          await subscription.whenCaughtUp();
          return;
        } catch {
          // The subscription failed and is being restarted: wait for the next one.
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Stops relaying, interrupting any backoff; resolves once nothing is running. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.subscription?.stop();
    await this.loop;
  }

  /** Waits for the lock (when there is one); resolves with it, or undefined without a lock. */
  private async takeLock(signal: AbortSignal): Promise<RelayLock | undefined> {
    const acquire = this.options.acquire;
    if (!acquire) return undefined;
    for (;;) {
      try {
        const lock = await acquire();
        if (lock) return lock;
      } catch (error) {
        this.failed(asError(error), this.options.standbyPollMs ?? 2_000, 'taking the relay lock');
      }
      await sleep(this.options.standbyPollMs ?? 2_000, signal);
    }
  }

  private async run(): Promise<void> {
    const { signal } = this.stopping;
    while (!signal.aborted) {
      let lock: RelayLock | undefined;
      try {
        lock = await this.takeLock(signal);
      } catch {
        return;
      }
      this.active = true;
      const current = lock;
      if (current)
        void current.lost.then(() => {
          if (this.active) {
            this.options.logger?.warn(
              { relay: this.options.name },
              `relay ${this.options.name}: its lock was lost; another instance takes over`,
            );
            void this.subscription?.stop();
          }
        });
      try {
        const from = await retryUntilDone(
          () => this.options.checkpoints.load(this.options.name),
          this.options.backoff ?? {},
          signal,
          (error, delay) => {
            this.failed(error, delay, 'reading the checkpoint');
          },
        );
        this.position = from;
        this.subscription = this.options.store.subscribe(
          {
            from,
            filter: { categories: this.options.categories },
            batchSize: this.options.batchSize ?? 500,
            ...(this.options.pollIntervalMs === undefined
              ? {}
              : { pollIntervalMs: this.options.pollIntervalMs }),
            ...(this.options.gatherMs === undefined ? {} : { gatherMs: this.options.gatherMs }),
          },
          (batch) => this.forward(batch),
        );
        await this.subscription.done;
      } catch (error) {
        if (aborted(signal) || error instanceof StoppedError) return;
        this.consecutiveFailures += 1;
        const delay = backoffDelay(
          this.consecutiveFailures,
          this.options.backoff ?? {},
          Math.random(),
        );
        this.failed(asError(error), delay, 'reading the store');
        await sleep(delay, signal).catch(() => undefined);
      } finally {
        this.subscription = undefined;
        this.active = false;
        await lock?.release().catch(() => undefined);
      }
    }
  }

  private async forward(batch: SubscriptionBatch): Promise<void> {
    const { signal } = this.stopping;
    const backoff = this.options.backoff ?? {};
    const messages: BusMessage[] = [];
    for (const event of batch.events) {
      for (const route of this.options.routes) {
        const message = route(event);
        if (message) messages.push(message);
      }
    }
    this.oldestPending = batch.events[0];
    if (messages.length > 0) {
      await retryUntilDone(
        () => this.options.bus.publish(messages),
        backoff,
        signal,
        (error, delay) => {
          this.failed(error, delay, 'publishing');
        },
      );
    }
    await retryUntilDone(
      () => this.options.checkpoints.save(this.options.name, batch.position),
      backoff,
      signal,
      (error, delay) => {
        this.failed(error, delay, 'saving the checkpoint');
      },
    );
    const first = batch.events[0];
    if (first) this.options.metrics?.lag?.(this.sinceRecorded(first));
    this.oldestPending = undefined;
    this.position = batch.position;
    this.eventsRelayed += batch.events.length;
    this.healthy = true;
    this.consecutiveFailures = 0;
    this.options.metrics?.relayed?.(batch.events.length, messages.length);
  }

  private failed(error: Error, retryInMs: number, doing: string): void {
    this.healthy = false;
    this.failures += 1;
    this.lastError = {
      message: `${doing}: ${error.message}`,
      at: new Date(this.now()).toISOString(),
    };
    this.options.metrics?.failed?.(error);
    this.options.logger?.warn(
      { relay: this.options.name, error: error.message, retryInMs },
      `relay ${this.options.name}: ${doing} failed; retrying`,
    );
  }

  private sinceRecorded(event: RecordedEvent): number {
    return Math.max(0, this.now() - Date.parse(event.metadata.recordedAt));
  }
}
