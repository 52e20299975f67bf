export { EsdbEventStore, type EsdbEventStoreOptions } from './esdb-event-store.js';
export { encodePosition, decodePosition } from './positions.js';
export { RawEsdbClient } from './raw-client.js';
