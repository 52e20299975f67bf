import type { ErasureService } from '@waypoint/contracts';
import type { KeyStore, Purge, RetentionPolicy } from '@waypoint/privacy';

/** What the erasure workflow needs besides the identification service's own dependencies. */
export interface ErasureDeps {
  /**
   * The process's one key store, through which keys are destroyed (a `CachingKeyStore` evicts
   * its own cache at once). Its destruction log is copied into `PersonKeysDestroyed` events.
   */
  readonly keys: KeyStore;
  /**
   * The services whose purge runs in this process: all eight in the embedded process, only
   * `identification` when each service runs on its own (the others confirm over HTTP).
   */
  readonly localServices: readonly ErasureService[];
  /** The purge of the local services: `keyCachePurge(cachingKeyStore)`. */
  readonly purge: Purge;
  /** The services a request waits for (default: all eight). */
  readonly services?: readonly ErasureService[];
  /** Per-category retention after the person's last journey closed. */
  readonly retention: RetentionPolicy;
  /**
   * How often the erasure duties run (local confirmations, a step left half done, retention);
   * 0: never on a timer (tests call `runDuties`).
   */
  readonly intervalMs: number;
}
