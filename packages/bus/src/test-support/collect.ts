import type { Bus, DeliveredMessage } from '../bus.js';

/** Everything a topic receives, read by a consumer group of its own, and a way to wait for it. */
export interface Collected {
  readonly messages: DeliveredMessage[];
  waitFor(count: number, timeoutMs?: number): Promise<DeliveredMessage[]>;
  stop(): Promise<void>;
}

export async function collect(bus: Bus, topic: string, groupId: string): Promise<Collected> {
  const messages: DeliveredMessage[] = [];
  const subscription = await bus.subscribe({ topics: [topic], groupId }, (batch) => {
    messages.push(...batch.messages);
    return Promise.resolve();
  });
  return {
    messages,
    async waitFor(count, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline)
          throw new Error(
            `${topic}: ${String(messages.length)} of ${String(count)} messages after ${String(timeoutMs)} ms`,
          );
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return messages;
    },
    stop: () => subscription.stop(),
  };
}

/** Polls `condition` until it holds (for states the code under test reaches on its own time). */
export async function eventually(
  condition: () => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`not reached within ${String(timeoutMs)} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
