// The envelope and JSON types are defined in contracts; the store's API names them too.
export type {
  Actor,
  EventMetadata,
  EventMetadataInput,
  JsonObject,
  JsonValue,
  NewEvent,
  Position,
  RecordedEvent,
} from '@waypoint/contracts';
export * from './types.js';
export * from './errors.js';
export { assertStreamName, streamInCategory } from './stream-name.js';
export { DEFAULT_LIMITS, type AppendLimits } from './validate-append.js';
export { chainHash, payloadHash, verifyEvents } from './hash-chain.js';
export { newEventId } from './event-id.js';
export { LiveView } from './live-view.js';
