import {
  Kafka,
  Partitioners,
  logLevel,
  type Admin,
  type Consumer,
  type IHeaders,
  type ISocketFactory,
  type KafkaMessage,
  type Message,
  type Producer,
  type logCreator,
} from 'kafkajs';
import { asError, backoffDelay, sleep, type BackoffOptions } from '../backoff.js';
import {
  DEFAULT_MAX_BATCH_SIZE,
  type BatchHandler,
  type Bus,
  type BusLogger,
  type BusMessage,
  type BusSubscribeOptions,
  type BusSubscription,
  type DeliveredMessage,
  type SubscriptionState,
} from '../bus.js';

export interface KafkaBusOptions {
  readonly brokers: readonly string[];
  /** Names this process to the brokers (logs, quotas): the service name. */
  readonly clientId: string;
  /**
   * The idempotent producer (no duplicates from the producer's own retries). Off by default: the
   * librdkafka mock cluster the tests run on cannot serve its InitProducerId, and consumers
   * deduplicate by event id anyway. Turn it on against real brokers.
   */
  readonly idempotent?: boolean;
  readonly logger?: BusLogger;
  /** How connections are opened: tests route them through a proxy they can cut. */
  readonly socketFactory?: ISocketFactory;
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** Consumer group session: a consumer silent for longer is taken out of the group. */
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  /**
   * How long a rebalance waits for every member to rejoin. A member that left without the
   * coordinator noticing (a crash; and librdkafka's mock even after a clean LeaveGroup) holds the
   * rebalance for this long once its session has expired.
   */
  readonly rebalanceTimeoutMs?: number;
  /**
   * How long a fetch waits on the broker for new messages. Short, because stopping a consumer
   * waits for its fetch in flight, and librdkafka's mock brokers answer only when it ends.
   */
  readonly fetchMaxWaitMs?: number;
  /** Backoff between offers of a batch whose handler failed. */
  readonly handlerBackoff?: BackoffOptions;
  /**
   * How much a fetch waits for (up to fetchMaxWaitMs) before the broker answers. At 1 byte (the
   * default) a busy consumer fetches a message or two at a time and pays its handler's fixed cost
   * (a read-model transaction) for each; a few tens of KB lets batches grow with the flow, at the
   * cost of up to fetchMaxWaitMs of latency when the flow is thin.
   */
  readonly fetchMinBytes?: number;
  /**
   * How often a consumer commits the offsets of the batches its handler completed. A commit per
   * batch costs a round trip to the broker per batch, which under a steady flow of small batches
   * is what limits a consumer. Default 1 s.
   */
  readonly commitIntervalMs?: number;
  /**
   * Partitions a consumer works on at once (each still in order). One at a time, a consumer of
   * several partitions waits for every other partition's fetch and sink before its next batch.
   * Default 4.
   */
  readonly partitionsConsumedConcurrently?: number;
}

function headerText(value: IHeaders[string]): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  return typeof first === 'string' ? first : first.toString('utf8');
}

function delivered(topic: string, partition: number, message: KafkaMessage): DeliveredMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const text = headerText(value);
    if (text !== undefined) headers[name] = text;
  }
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString('utf8') ?? '',
    value: message.value?.toString('utf8') ?? '',
    headers,
  };
}

function kafkaLogs(logger: BusLogger | undefined): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      if (!logger) return;
      const { message, ...extra } = log;
      const details = { kafkajs: namespace, ...extra };
      if (level === logLevel.ERROR) logger.error(details, message);
      else if (level === logLevel.WARN) logger.warn(details, message);
      else logger.info(details, message);
    };
}

/**
 * The bus on Kafka, through kafkajs. Publishing waits for every in-sync replica (`acks: -1`) and
 * gives up after a few seconds of retries, so that the caller (the relay) sees the failure, reports
 * it and applies its own capped backoff. Consumers commit a batch's offsets explicitly, only after
 * its handler resolved. Topics are never created here: deployment creates them (docs/kafka.md).
 */
export class KafkaBus implements Bus {
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private producerConnected: Promise<void> | undefined;
  private readonly consumers = new Set<Consumer>();
  private admin: Admin | undefined;
  private adminConnected: Promise<void> | undefined;

  constructor(private readonly options: KafkaBusOptions) {
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: [...options.brokers],
      connectionTimeout: options.connectionTimeoutMs ?? 3_000,
      requestTimeout: options.requestTimeoutMs ?? 10_000,
      logLevel: options.logger ? logLevel.WARN : logLevel.NOTHING,
      logCreator: kafkaLogs(options.logger),
      retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 2_000 },
      ...(options.socketFactory ? { socketFactory: options.socketFactory } : {}),
    });
    this.producer = this.kafka.producer({
      // Murmur2 on the key, as the Java client: one key, one partition, whoever produces.
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: options.idempotent ?? false,
      // One request in flight per broker: a retried request can never overtake a later one.
      maxInFlightRequests: 1,
      allowAutoTopicCreation: true,
      retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 2_000 },
    });
  }

  async publish(messages: readonly BusMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.connectProducer();
    const byTopic = new Map<string, Message[]>();
    for (const message of messages) {
      const list = byTopic.get(message.topic) ?? [];
      list.push({ key: message.key, value: message.value, headers: { ...message.headers } });
      byTopic.set(message.topic, list);
    }
    await this.producer.sendBatch({
      acks: -1,
      timeout: this.options.requestTimeoutMs ?? 10_000,
      topicMessages: [...byTopic].map(([topic, list]) => ({ topic, messages: list })),
    });
  }

  /**
   * Asks the brokers for the cluster's metadata (a Metadata request, no admin operation): resolves
   * when one answers, rejects when none does within the connection and request timeouts. For
   * readiness: a bus that publishes nothing and receives nothing would not notice otherwise.
   */
  async probe(): Promise<void> {
    this.admin ??= this.kafka.admin({ retry: { retries: 0 } });
    const admin = this.admin;
    this.adminConnected ??= admin.connect().catch((error: unknown) => {
      this.adminConnected = undefined;
      throw error;
    });
    await this.adminConnected;
    try {
      await admin.describeCluster();
    } catch (error) {
      // A broken connection is opened again by the next probe.
      this.adminConnected = undefined;
      await admin.disconnect().catch(() => undefined);
      throw error;
    }
  }

  /**
   * Connects and subscribes, then joins the group in the background: joining waits for the
   * group's rebalance, which after a crash waits for the dead member's session to expire (the
   * session timeout), and nothing should wait for that (a service answers /health at once and
   * /ready once `state().joined`). Crashes the client can recover from restart it, until stopped.
   */
  async subscribe(options: BusSubscribeOptions, handler: BatchHandler): Promise<BusSubscription> {
    const stopping = new AbortController();
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: this.options.heartbeatIntervalMs ?? 3_000,
      rebalanceTimeout: this.options.rebalanceTimeoutMs ?? 60_000,
      allowAutoTopicCreation: true,
      maxWaitTimeInMs: this.options.fetchMaxWaitMs ?? 1_000,
      minBytes: this.options.fetchMinBytes ?? 1,
      retry: {
        retries: 5,
        initialRetryTime: 300,
        maxRetryTime: 30_000,
        // Never restart a consumer that is being stopped (a crash while it leaves the group).
        restartOnFailure: () => Promise.resolve(!stopping.signal.aborted),
      },
    });
    const state: { joined: boolean; lastError: string | null } = {
      joined: false,
      lastError: null,
    };
    consumer.on(consumer.events.GROUP_JOIN, () => {
      state.joined = true;
      state.lastError = null;
    });
    consumer.on(consumer.events.CRASH, (event) => {
      state.joined = false;
      state.lastError = event.payload.error.message;
    });
    consumer.on(consumer.events.STOP, () => {
      state.joined = false;
    });
    const maxBatchSize = options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
    const backoff = this.options.handlerBackoff ?? {};
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [...options.topics], fromBeginning: true });
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
    const running = consumer.run({
      autoCommit: true,
      autoCommitInterval: this.options.commitIntervalMs ?? 1_000,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 4,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        const gone = (): boolean =>
          stopping.signal.aborted || !payload.isRunning() || payload.isStale();
        for (let start = 0; start < batch.messages.length; start += maxBatchSize) {
          if (gone()) return;
          const chunk = batch.messages.slice(start, start + maxBatchSize);
          const last = chunk.at(-1);
          if (!last) return;
          const messages = chunk.map((message) => delivered(batch.topic, batch.partition, message));
          for (let failures = 0; ;) {
            try {
              await handler({ topic: batch.topic, partition: batch.partition, messages });
              break;
            } catch (error) {
              failures += 1;
              options.onHandlerError?.(asError(error));
              if (gone()) return;
              // Hold the partition and keep the session alive while the sink recovers.
              const delay = backoffDelay(failures, backoff, Math.random());
              const stopped = await sleep(delay, stopping.signal).then(
                () => false,
                () => true,
              );
              if (stopped || gone()) return;
              await payload.heartbeat();
            }
          }
          // Resolved only once the handler succeeded; committed with the others every
          // commitIntervalMs (and when the consumer stops or the group rebalances): a crash
          // redelivers at most that much, which consumers deduplicate by event id anyway.
          payload.resolveOffset(last.offset);
          await payload.commitOffsetsIfNecessary();
          await payload.heartbeat();
        }
      },
    });
    // A join that fails for good is reported by state(); the client logs it already.
    running.catch((error: unknown) => {
      state.joined = false;
      state.lastError = asError(error).message;
    });
    this.consumers.add(consumer);
    return {
      state: (): SubscriptionState => ({ ...state }),
      stop: async () => {
        stopping.abort();
        this.consumers.delete(consumer);
        // Leaves the group, so that the others take over its partitions at once.
        await consumer.disconnect();
        await running.catch(() => undefined);
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((consumer) => consumer.disconnect()));
    this.consumers.clear();
    await this.producer.disconnect();
    this.producerConnected = undefined;
    await this.admin?.disconnect();
    this.adminConnected = undefined;
  }

  private connectProducer(): Promise<void> {
    this.producerConnected ??= this.producer.connect().catch((error: unknown) => {
      this.producerConnected = undefined;
      throw error;
    });
    return this.producerConnected;
  }
}
