export type {
  BatchHandler,
  Bus,
  BusLogger,
  BusMessage,
  BusSubscribeOptions,
  BusSubscription,
  SubscriptionState,
  DeliveredBatch,
  DeliveredMessage,
} from './bus.js';
export { backoffDelay, type BackoffOptions } from './backoff.js';
export { INTEGRATION_TOPIC, deadLetterTopic, serviceTopic } from './topics.js';
export { NOT_JOURNEY_CATEGORIES, messageKey } from './message-key.js';
export { HEADERS, eventMessage } from './event-message.js';
export { parseEnvelope, parseEventMessage, type EnvelopeResult } from './envelope.js';
export {
  INTEGRATION_CURATIONS,
  curateForIntegration,
  type IntegrationEvent,
} from './integration/curate.js';
export { KafkaBus, type KafkaBusOptions } from './kafka/kafka-bus.js';
export { InProcessBus, type InProcessBusOptions } from './in-process/in-process-bus.js';
export { MemoryCheckpointStore, type CheckpointStore } from './relay/checkpoint-store.js';
export { PostgresCheckpointStore, type SqlQueryable } from './relay/postgres-checkpoint-store.js';
export { eventsRoute, integrationRoute, type RelayRoute } from './relay/routes.js';
export {
  Relay,
  serviceRoutes,
  type RelayLock,
  type RelayMetrics,
  type RelayOptions,
  type RelayStatus,
} from './relay/relay.js';
export {
  consumeEvents,
  deadLetter,
  type ConsumeOptions,
  type ConsumerMetrics,
  type ConsumerStatus,
  type EventConsumer,
  type EventSink,
} from './consumer/consume-events.js';
export {
  endToEndLatency,
  fillStore,
  relayThroughput,
  type FillOptions,
  type LatencyResult,
  type RelayThroughputResult,
} from './bench/index.js';
