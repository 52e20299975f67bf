import {
  aborted,
  asError,
  backoffDelay,
  sleep,
  StoppedError,
  type BackoffOptions,
} from '../backoff.js';
import {
  DEFAULT_MAX_BATCH_SIZE,
  type BatchHandler,
  type Bus,
  type BusMessage,
  type BusSubscribeOptions,
  type BusSubscription,
  type DeliveredMessage,
} from '../bus.js';

export interface InProcessBusOptions {
  /** Partitions per topic. Default 4: per-key order only, as on Kafka, so code cannot lean on more. */
  readonly partitions?: number;
  /** How long to wait before offering a failed batch again. */
  readonly backoff?: BackoffOptions;
}

/** FNV-1a over the key's UTF-16 code units: a stable partition per key. */
function partitionOf(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index += 1) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % partitions;
}

class Wakeup {
  private waiting: (() => void) | undefined;

  notify(): void {
    const resolve = this.waiting;
    this.waiting = undefined;
    resolve?.();
  }

  wait(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.waiting = done;
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

interface Group {
  /** The next offset to deliver, per `topic/partition`: kept when the consumer stops, as Kafka does. */
  readonly offsets: Map<string, number>;
  active: { readonly wakeup: Wakeup; readonly topics: readonly string[] } | undefined;
}

/**
 * The bus inside one process, for the embedded mode: the same semantics as the Kafka adapter
 * (keyed partitions with per-key order, a group's committed offsets, new groups from the
 * beginning, a failed batch offered again after a backoff), in memory, with one consumer per
 * group id. Like the Kafka topics it keeps every message for the life of the process.
 */
export class InProcessBus implements Bus {
  private readonly partitions: number;
  private readonly topics = new Map<string, DeliveredMessage[][]>();
  private readonly groups = new Map<string, Group>();
  private closed = false;

  constructor(private readonly options: InProcessBusOptions = {}) {
    this.partitions = options.partitions ?? 4;
  }

  publish(messages: readonly BusMessage[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('The bus is closed'));
    const touched = new Set<string>();
    for (const message of messages) {
      const partition = partitionOf(message.key, this.partitions);
      const log = this.partitionsOf(message.topic)[partition];
      if (!log) throw new Error('unreachable: partition out of range');
      log.push({
        topic: message.topic,
        key: message.key,
        value: message.value,
        headers: { ...message.headers },
        partition,
        offset: String(log.length),
      });
      touched.add(message.topic);
    }
    for (const group of this.groups.values()) {
      if (group.active?.topics.some((topic) => touched.has(topic))) group.active.wakeup.notify();
    }
    return Promise.resolve();
  }

  subscribe(options: BusSubscribeOptions, handler: BatchHandler): Promise<BusSubscription> {
    if (this.closed) return Promise.reject(new Error('The bus is closed'));
    const group = this.groups.get(options.groupId) ?? { offsets: new Map(), active: undefined };
    if (group.active)
      return Promise.reject(new Error(`group ${options.groupId} already has a consumer`));
    this.groups.set(options.groupId, group);
    const wakeup = new Wakeup();
    group.active = { wakeup, topics: [...options.topics] };
    for (const topic of options.topics) this.partitionsOf(topic);
    const stopping = new AbortController();
    const running = this.deliver(group, options, handler, wakeup, stopping.signal).finally(() => {
      group.active = undefined;
    });
    return Promise.resolve({
      stop: async () => {
        stopping.abort();
        await running;
      },
    });
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  private partitionsOf(topic: string): DeliveredMessage[][] {
    let partitions = this.topics.get(topic);
    if (!partitions) {
      partitions = Array.from({ length: this.partitions }, () => []);
      this.topics.set(topic, partitions);
    }
    return partitions;
  }

  private async deliver(
    group: Group,
    options: BusSubscribeOptions,
    handler: BatchHandler,
    wakeup: Wakeup,
    signal: AbortSignal,
  ): Promise<void> {
    const maxBatchSize = options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
    let failures = 0;
    while (!signal.aborted) {
      // Scanning without delivering anything never awaits, so no publish can slip in unseen
      // between the scan and the wait; after a delivery or a failure, scan again.
      let scanAgain = false;
      for (const topic of options.topics) {
        const partitions = this.partitionsOf(topic);
        for (const [partition, log] of partitions.entries()) {
          if (aborted(signal)) return;
          const slot = `${topic}/${String(partition)}`;
          const next = group.offsets.get(slot) ?? 0;
          if (next >= log.length) continue;
          const messages = log.slice(next, next + maxBatchSize);
          scanAgain = true;
          try {
            await handler({ topic, partition, messages });
            group.offsets.set(slot, next + messages.length);
            failures = 0;
          } catch (error) {
            failures += 1;
            options.onHandlerError?.(asError(error));
            try {
              await sleep(
                backoffDelay(failures, this.options.backoff ?? {}, Math.random()),
                signal,
              );
            } catch (stopped) {
              if (stopped instanceof StoppedError) return;
              throw stopped;
            }
          }
        }
      }
      if (!scanAgain) await wakeup.wait(signal);
    }
  }
}
