export * from './errors.js';
export type { JsonObject, JsonValue } from './json.js';
export { parseMasterKey, assertMasterKey, type MasterKey } from './master-key.js';
export type { KeyDestruction, KeyStore, KeyStoreOptions } from './key-store.js';
export { CachingKeyStore, type CachingKeyStoreOptions } from './caching-key-store.js';
export {
  FieldCipher,
  type DecryptResult,
  type EncryptionPlanItem,
  type Revealed,
} from './field-cipher.js';
export { BlindIndex, normaliseForIndex } from './blind-index.js';
export * from './memory/index.js';
export * from './postgres/index.js';
export * from './sqlite/index.js';
export { sealEvent, UnsealedFieldError, type PathEncrypter } from './seal-event.js';
export type { EventCipher } from './event-cipher.js';
export { revealSealed, sealedFrom, type RevealedView, type Sealed } from './reveal-sealed.js';
export {
  categoriesPastRetention,
  parseRetentionPolicy,
  RetentionPolicyError,
  type RetentionPolicy,
  type RetentionRule,
  type RetentionSubject,
} from './retention-policy.js';
export {
  confirmPendingErasures,
  ErasureCoordinatorError,
  httpErasureCoordinator,
  isErasureService,
  keyCachePurge,
  type ErasureCoordinator,
  type EvictableKeyCache,
  type HttpErasureCoordinatorOptions,
  type PendingErasure,
  type Purge,
  type PurgeReport,
} from './erasure-participant.js';
