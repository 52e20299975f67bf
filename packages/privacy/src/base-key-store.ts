import { randomBytes } from 'node:crypto';
import type { Category } from '@waypoint/contracts';
import { InvalidInputError, KeyDestroyedError, KeyStoreClosedError } from './errors.js';
import { KEY_BYTES } from './key-material.js';
import type { KeyDestruction, KeyStore, KeyStoreOptions } from './key-store.js';
import { MasterKeyRing, type WrappedKey } from './key-wrap.js';
import { assertMasterKey, type MasterKey } from './master-key.js';
import { assertCategory, assertReason, assertSubject } from './validation.js';

/** A row of the key table: a wrapped key, or the tombstone a destroyed key leaves. */
export type StoredKey = WrappedKey | 'destroyed' | null;

export interface StoredWrappedKey extends WrappedKey {
  readonly subject: string;
  readonly category: Category;
}

export interface Rewrap {
  readonly subject: string;
  readonly category: Category;
  /** Replace only while the row is still under this master key: another process may be rotating. */
  readonly fromKid: string;
  readonly to: WrappedKey;
}

export interface Tombstoned {
  readonly destruction: KeyDestruction;
  /** False when the key was already destroyed: the existing log entry is returned. */
  readonly destroyedNow: boolean;
}

export interface TombstoneRequest {
  readonly subject: string;
  readonly categories: readonly Category[];
  readonly reason: string;
  readonly destroyedAt: string;
}

/**
 * What every adapter shares: validation before any I/O, wrapping and unwrapping, the tombstone
 * rule and the rotation loop. An adapter supplies the few primitives that touch its storage, each
 * atomic on its own.
 */
export abstract class BaseKeyStore implements KeyStore {
  private readonly ring: MasterKeyRing;
  private readonly now: () => Date;
  private readonly rotationBatchSize: number;
  private closed = false;

  protected constructor(options: KeyStoreOptions) {
    this.ring = new MasterKeyRing(options.masterKey, options.previousMasterKeys);
    this.now = options.now ?? (() => new Date());
    this.rotationBatchSize = options.rotationBatchSize ?? 500;
  }

  protected abstract load(subject: string, category: Category): Promise<StoredKey>;
  /** Stores the key unless the row exists (a live key or a tombstone); true when it stored it. */
  protected abstract insertIfAbsent(
    subject: string,
    category: Category,
    key: WrappedKey,
  ): Promise<boolean>;
  /** Tombstones the keys and logs each new destruction, all in one transaction. */
  protected abstract tombstone(request: TombstoneRequest): Promise<Tombstoned[]>;
  protected abstract readLog(afterSeq: number): Promise<KeyDestruction[]>;
  /** Live keys not wrapped under `kid`, after `after` in (subject, category) order. */
  protected abstract wrappedNotUnder(
    kid: string,
    after: { readonly subject: string; readonly category: string } | null,
    limit: number,
  ): Promise<StoredWrappedKey[]>;
  /** Applies the re-wraps in one transaction; returns how many rows it changed. */
  protected abstract replaceWrapped(rewraps: readonly Rewrap[]): Promise<number>;
  protected abstract closeStorage(): Promise<void>;

  async keyFor(subject: string, category: Category): Promise<Buffer> {
    this.assertOpen();
    assertSubject(subject);
    assertCategory(category);
    const existing = await this.unwrapStored(subject, category);
    if (existing !== null) return existing;

    const dataKey = randomBytes(KEY_BYTES);
    if (await this.insertIfAbsent(subject, category, this.ring.wrap(subject, category, dataKey))) {
      return dataKey;
    }
    dataKey.fill(0);
    // Another writer stored a key or a tombstone first: theirs is the one.
    const winner = await this.unwrapStored(subject, category);
    if (winner === null) throw new Error('A key row vanished between two reads');
    return winner;
  }

  async findKey(subject: string, category: Category): Promise<Buffer | 'destroyed' | null> {
    this.assertOpen();
    assertSubject(subject);
    assertCategory(category);
    const stored = await this.load(subject, category);
    if (stored === null || stored === 'destroyed') return stored;
    return this.ring.unwrap(subject, category, stored);
  }

  async destroy(
    subject: string,
    categories: readonly Category[],
    reason: string,
  ): Promise<KeyDestruction[]> {
    this.assertOpen();
    assertSubject(subject);
    categories.forEach((category) => {
      assertCategory(category);
    });
    assertReason(reason);
    const unique = [...new Set(categories)];
    if (unique.length === 0) return [];
    const done = await this.tombstone({
      subject,
      categories: unique,
      reason,
      destroyedAt: this.now().toISOString(),
    });
    return done.map(({ destruction }) => destruction);
  }

  async destructions(afterSeq = 0): Promise<KeyDestruction[]> {
    this.assertOpen();
    if (!Number.isSafeInteger(afterSeq) || afterSeq < 0) {
      throw new InvalidInputError('INVALID_SEQ', 'afterSeq', 'afterSeq is a non-negative integer');
    }
    return this.readLog(afterSeq);
  }

  async applyDestructions(log: readonly KeyDestruction[]): Promise<number> {
    this.assertOpen();
    log.forEach(assertDestruction);
    let destroyed = 0;
    // One entry per transaction: each is idempotent, so an interrupted run is simply run again.
    for (const entry of log) {
      const [result] = await this.tombstone({
        subject: entry.subject,
        categories: [entry.category],
        reason: entry.reason,
        destroyedAt: new Date(entry.destroyedAt).toISOString(),
      });
      if (result?.destroyedNow) destroyed += 1;
    }
    return destroyed;
  }

  async rotateMasterKey(next: MasterKey): Promise<number> {
    this.assertOpen();
    assertMasterKey(next);
    // New keys are wrapped under `next` from here on, so the scan below has a fixed end.
    this.ring.makeCurrent(next);
    let rewrapped = 0;
    let after: StoredWrappedKey | null = null;
    for (;;) {
      const batch = await this.wrappedNotUnder(next.id, after, this.rotationBatchSize);
      const last = batch.at(-1);
      if (!last) return rewrapped;
      rewrapped += await this.replaceWrapped(
        batch.map((row) => {
          const dataKey = this.ring.unwrap(row.subject, row.category, row);
          const to = this.ring.wrap(row.subject, row.category, dataKey);
          dataKey.fill(0);
          return { subject: row.subject, category: row.category, fromKid: row.kid, to };
        }),
      );
      after = last;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.closeStorage();
  }

  protected assertOpen(): void {
    if (this.closed) throw new KeyStoreClosedError();
  }

  private async unwrapStored(subject: string, category: Category): Promise<Buffer | null> {
    const stored = await this.load(subject, category);
    if (stored === 'destroyed') throw new KeyDestroyedError(category);
    return stored === null ? null : this.ring.unwrap(subject, category, stored);
  }
}

function assertDestruction(entry: KeyDestruction, index: number): void {
  try {
    assertSubject(entry.subject);
    assertCategory(entry.category);
    assertReason(entry.reason);
  } catch (error) {
    if (error instanceof InvalidInputError) {
      throw new InvalidInputError(
        'INVALID_DESTRUCTION',
        `log[${String(index)}].${error.field}`,
        `Destruction log entry ${String(index)}: ${error.message}`,
      );
    }
    throw error;
  }
  if (typeof entry.destroyedAt !== 'string' || Number.isNaN(Date.parse(entry.destroyedAt))) {
    throw new InvalidInputError(
      'INVALID_DESTRUCTION',
      `log[${String(index)}].destroyedAt`,
      `Destruction log entry ${String(index)}: destroyedAt is not an ISO 8601 time`,
    );
  }
}
