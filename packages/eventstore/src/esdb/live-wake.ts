import {
  END,
  type AllStreamSubscription,
  type EventStoreDBClient,
  type Filter,
} from '@eventstore/db-client';

const RESTART_DELAY_MS = 1_000;

/**
 * A live `$all` subscription, filtered on the server, whose only job is to wake a catch-up
 * reader when a matching event is committed, by this process or any other. Reading and
 * checkpointing stay with the reader, so a lost or restarting subscription only costs latency:
 * the reader still polls.
 */
export class LiveWake {
  private subscription: AllStreamSubscription | undefined;
  private restart: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly filter: Filter,
    private readonly onEvent: () => void,
  ) {
    this.start();
  }

  private start(): void {
    if (this.stopped) return;
    const subscription = this.client.subscribeToAll({ fromPosition: END, filter: this.filter });
    this.subscription = subscription;
    const again = (): void => {
      if (this.stopped || this.subscription !== subscription || this.restart) return;
      this.restart = setTimeout(() => {
        this.restart = undefined;
        this.start();
      }, RESTART_DELAY_MS);
    };
    subscription.on('data', () => {
      this.onEvent();
    });
    subscription.on('error', again);
    subscription.on('end', again);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restart);
    await this.subscription?.unsubscribe().catch(() => undefined);
  }
}
