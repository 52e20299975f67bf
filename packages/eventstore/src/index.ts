export * from './types.js';
export * from './errors.js';
export { assertStreamName, streamInCategory } from './stream-name.js';
export { DEFAULT_LIMITS, type AppendLimits } from './validate-append.js';
export { chainHash, payloadHash, verifyEvents } from './hash-chain.js';
export { newEventId } from './event-id.js';
export { LiveView } from './live-view.js';
