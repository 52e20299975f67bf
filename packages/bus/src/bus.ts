/**
 * The integration bus: topics of keyed messages, ordered per key, read by consumer groups. Two
 * adapters: Kafka (kafkajs) for the distributed mode, and in-process for the embedded mode.
 */
export interface BusMessage {
  readonly topic: string;
  /** Picks the partition: messages with one key keep their order. */
  readonly key: string;
  /** JSON text. */
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface DeliveredMessage extends BusMessage {
  readonly partition: number;
  /** The message's offset in its partition, as a decimal string (Kafka offsets are 64-bit). */
  readonly offset: string;
}

/** Consecutive messages of one partition, in order. */
export interface DeliveredBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly DeliveredMessage[];
}

/**
 * Handles one batch. The batch's offsets are committed only after it resolves; when it throws, the
 * same batch is offered again after a capped exponential backoff, so a handler must tolerate
 * seeing a message more than once (at-least-once delivery).
 */
export type BatchHandler = (batch: DeliveredBatch) => Promise<void>;

export interface BusSubscribeOptions {
  readonly topics: readonly string[];
  /** Consumers sharing a group id share the partitions; a new group starts from the beginning. */
  readonly groupId: string;
  /** The most messages handed to the handler at once. Default 500. */
  readonly maxBatchSize?: number;
  /** Told about each failed handler call before it is retried. */
  readonly onHandlerError?: (error: Error) => void;
}

/** Where a subscription stands with its consumer group. */
export interface SubscriptionState {
  /** True once the consumer joined its group (and until it crashes or stops): for readiness. */
  readonly joined: boolean;
  /** Why it last crashed or failed to join, if it did. */
  readonly lastError: string | null;
}

export interface BusSubscription {
  /** Stops fetching and leaves the group; resolves once no handler is running. Committed offsets stay with the group. */
  stop(): Promise<void>;
  /** Absent on a bus with no groups to join (in-process): such a subscription is always joined. */
  state?(): SubscriptionState;
}

export interface Bus {
  /**
   * Resolves once every message is durably accepted (Kafka: acknowledged by all in-sync
   * replicas); rejects when any might not be, and the caller sends them again.
   */
  publish(messages: readonly BusMessage[]): Promise<void>;
  /**
   * Resolves once a subscription is set up; it may still be joining its group (see
   * `BusSubscription.state`), so that nothing waits on a rebalance.
   */
  subscribe(options: BusSubscribeOptions, handler: BatchHandler): Promise<BusSubscription>;
  /** Resolves when the brokers answer, rejects when they do not: for readiness. */
  probe?(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A pino-compatible logger, reduced to what the bus uses. Nothing personal is ever logged: the
 * bus logs errors and counts, never message values.
 */
export interface BusLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export const DEFAULT_MAX_BATCH_SIZE = 500;
