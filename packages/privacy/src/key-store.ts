import type { Category } from '@waypoint/contracts';
import type { MasterKey } from './master-key.js';

/** One entry of the destruction log: the key of `subject` for `category` was destroyed. */
export interface KeyDestruction {
  /** Position in this key store's log; increases with every destruction. */
  readonly seq: number;
  readonly subject: string;
  readonly category: Category;
  /** ISO 8601. */
  readonly destroyedAt: string;
  /** A code such as `erasure-request`, never personal data. */
  readonly reason: string;
}

/**
 * Per-subject, per-category 256-bit data keys, wrapped under a master key and stored apart from
 * the events. Destroying a key is crypto-shredding: every field it encrypted, in every event,
 * read model and backup, becomes unreadable. A destroyed key never comes back.
 */
export interface KeyStore {
  /** The data key, created on first use. Throws KeyDestroyedError once destroyed. */
  keyFor(subject: string, category: Category): Promise<Buffer>;
  /** The data key if it exists, `destroyed`, or null; never creates one. */
  findKey(subject: string, category: Category): Promise<Buffer | 'destroyed' | null>;
  /**
   * Destroys the keys and leaves tombstones, so that they are never created again, even for
   * categories with no key yet. Each destruction is written to the destruction log in the same
   * transaction. Idempotent: returns the log entry of every category named, the existing one for
   * a key destroyed earlier.
   */
  destroy(
    subject: string,
    categories: readonly Category[],
    reason: string,
  ): Promise<KeyDestruction[]>;
  /** The destruction log after `afterSeq` (default: all of it), in order. */
  destructions(afterSeq?: number): Promise<KeyDestruction[]>;
  /**
   * After restoring a backup: destroys again every key the log names (a copy of `destructions()`
   * kept outside the backup) and records them in this store's log with their original time and
   * reason. Returns how many keys it destroyed; entries already destroyed are skipped.
   */
  applyDestructions(log: readonly KeyDestruction[]): Promise<number>;
  /**
   * Makes `next` the master key and re-wraps every live key not yet under it. Resumable: stopped
   * half way, a second call re-wraps only what is left. Returns how many keys it re-wrapped.
   */
  rotateMasterKey(next: MasterKey): Promise<number>;
  close(): Promise<void>;
}

/** What every adapter takes from configuration. */
export interface KeyStoreOptions {
  /** Wraps new data keys. */
  readonly masterKey: MasterKey;
  /** Older master keys, kept only to unwrap keys that a rotation has not re-wrapped yet. */
  readonly previousMasterKeys?: readonly MasterKey[];
  /** Keys re-wrapped per transaction during a rotation (default 500). */
  readonly rotationBatchSize?: number;
  readonly now?: () => Date;
}
