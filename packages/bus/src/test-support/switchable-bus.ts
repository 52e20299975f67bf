import type {
  BatchHandler,
  Bus,
  BusMessage,
  BusSubscribeOptions,
  BusSubscription,
} from '../bus.js';

/** A bus whose publishing can be switched off, as a broker that cannot be reached. */
export class SwitchableBus implements Bus {
  down = false;
  publishAttempts = 0;

  constructor(private readonly inner: Bus) {}

  publish(messages: readonly BusMessage[]): Promise<void> {
    this.publishAttempts += 1;
    if (this.down) return Promise.reject(new Error('broker unreachable'));
    return this.inner.publish(messages);
  }

  subscribe(options: BusSubscribeOptions, handler: BatchHandler): Promise<BusSubscription> {
    return this.inner.subscribe(options, handler);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
