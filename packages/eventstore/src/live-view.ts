import type { RecordedEvent } from '@waypoint/contracts';
import type { EventStore, ReadAllFilter, Subscription } from './types.js';

/**
 * A small read model this service keeps in memory, fed by a catch-up subscription on the store:
 * the facts it needs to decide (is this organisation in the directory?) without calling anyone.
 * `current()` waits until it has seen everything committed before the call.
 */
export class LiveView<Model> {
  private subscription: Subscription | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly filter: ReadAllFilter,
    readonly model: Model,
    private readonly apply: (model: Model, event: RecordedEvent) => void,
  ) {}

  start(): this {
    this.subscription ??= this.store.subscribe(
      { filter: this.filter, batchSize: 1_000 },
      (batch) => {
        for (const event of batch.events) this.apply(this.model, event);
      },
    );
    return this;
  }

  async current(): Promise<Model> {
    const subscription = this.start().subscription;
    if (subscription) await subscription.whenCaughtUp();
    return this.model;
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = undefined;
  }
}
