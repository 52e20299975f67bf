import { CATEGORIES, type Category } from '@waypoint/contracts';
import { KeyDestroyedError } from './errors.js';
import type { KeyDestruction, KeyStore } from './key-store.js';
import type { MasterKey } from './master-key.js';

export interface CachingKeyStoreOptions {
  /** Unwrapped keys kept, least recently used evicted first (default 1,000). */
  readonly maxEntries?: number;
  /**
   * How long a key is trusted before the store is asked again (default 60 s). This bounds how long
   * a destruction made by another process goes unnoticed here: see the class comment.
   */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

interface Entry {
  readonly value: Buffer | 'destroyed';
  readonly expiresAt: number;
}

/**
 * Keeps unwrapped data keys in memory, so that revealing a page of read-model rows does not hit
 * the key store (and unwrap) once per field. Wrap the process's one KeyStore with it once, at the
 * composition root, and destroy through it: a destroy here evicts at once.
 *
 * Multi-process caveat: a destroy made by another process (another replica, a CLI) is not seen
 * here until the cached key expires, after `ttlMs` at most. Until then this process can still
 * decrypt that subject's fields. Keep `ttlMs` short where that matters, or use one process.
 * A tombstone is cached without expiry: a destroyed key never comes back.
 */
export class CachingKeyStore implements KeyStore {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly now: () => number;
  /**
   * Moves on when a destruction starts and when it ends. A read whose fetch straddled a change does
   * not cache what it fetched: it may have read the key just before the tombstone was written.
   */
  private epoch = 0;

  constructor(
    private readonly inner: KeyStore,
    options: CachingKeyStoreOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? 1_000;
    this.ttlMs = options.ttlMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  async keyFor(subject: string, category: Category): Promise<Buffer> {
    const cached = this.get(subject, category);
    if (cached === 'destroyed') throw new KeyDestroyedError(category);
    if (cached) return Buffer.from(cached);
    const epoch = this.epoch;
    try {
      const key = await this.inner.keyFor(subject, category);
      if (epoch === this.epoch) this.set(subject, category, key);
      return key;
    } catch (error) {
      if (error instanceof KeyDestroyedError) this.set(subject, category, 'destroyed');
      throw error;
    }
  }

  async findKey(subject: string, category: Category): Promise<Buffer | 'destroyed' | null> {
    const cached = this.get(subject, category);
    if (cached) return cached === 'destroyed' ? cached : Buffer.from(cached);
    const epoch = this.epoch;
    const found = await this.inner.findKey(subject, category);
    if (found === 'destroyed' || (found !== null && epoch === this.epoch)) {
      this.set(subject, category, found);
    }
    return found;
  }

  async destroy(
    subject: string,
    categories: readonly Category[],
    reason: string,
  ): Promise<KeyDestruction[]> {
    this.forget(subject, categories);
    try {
      return await this.inner.destroy(subject, categories, reason);
    } finally {
      // Again: a read that finished while the destruction ran may have cached the old key.
      this.forget(subject, categories);
    }
  }

  /**
   * Drops the subject's cached keys (all categories by default) and returns how many live keys it
   * dropped. An erasure calls it in every process that keeps a cache, so that a key destroyed by
   * another process stops decrypting here at once rather than after the TTL. Tombstones are kept:
   * a destroyed key never comes back.
   */
  evict(subject: string, categories: readonly Category[] = CATEGORIES): number {
    let live = 0;
    for (const category of categories) {
      const value = this.entries.get(cacheId(subject, category))?.value;
      if (Buffer.isBuffer(value)) live += 1;
    }
    this.epoch += 1;
    for (const category of categories) {
      const id = cacheId(subject, category);
      const entry = this.entries.get(id);
      if (entry?.value === 'destroyed') continue;
      wipe(entry?.value);
      this.entries.delete(id);
    }
    return live;
  }

  destructions(afterSeq?: number): Promise<KeyDestruction[]> {
    return this.inner.destructions(afterSeq);
  }

  async applyDestructions(log: readonly KeyDestruction[]): Promise<number> {
    this.clear();
    try {
      return await this.inner.applyDestructions(log);
    } finally {
      this.clear();
    }
  }

  /** Data keys do not change when the master key does: the cache stays valid. */
  rotateMasterKey(next: MasterKey): Promise<number> {
    return this.inner.rotateMasterKey(next);
  }

  async close(): Promise<void> {
    this.clear();
    await this.inner.close();
  }

  private get(subject: string, category: Category): Buffer | 'destroyed' | undefined {
    const id = cacheId(subject, category);
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    this.entries.delete(id);
    if (entry.expiresAt <= this.now()) {
      wipe(entry.value);
      return undefined;
    }
    this.entries.set(id, entry); // most recently used goes last
    return entry.value;
  }

  private set(subject: string, category: Category, value: Buffer | 'destroyed'): void {
    const id = cacheId(subject, category);
    wipe(this.entries.get(id)?.value);
    this.entries.delete(id);
    this.entries.set(id, {
      // A copy: the caller may wipe or reuse the buffer it was handed.
      value: value === 'destroyed' ? value : Buffer.from(value),
      expiresAt: value === 'destroyed' ? Infinity : this.now() + this.ttlMs,
    });
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries) break;
      wipe(entry.value);
      this.entries.delete(oldest);
    }
  }

  private forget(subject: string, categories: readonly Category[]): void {
    this.epoch += 1;
    for (const category of categories) {
      const id = cacheId(subject, category);
      wipe(this.entries.get(id)?.value);
      this.entries.delete(id);
    }
  }

  private clear(): void {
    this.epoch += 1;
    for (const entry of this.entries.values()) wipe(entry.value);
    this.entries.clear();
  }
}

const cacheId = (subject: string, category: Category): string => `${category}\n${subject}`;

function wipe(value: Buffer | 'destroyed' | undefined): void {
  if (Buffer.isBuffer(value)) value.fill(0);
}
