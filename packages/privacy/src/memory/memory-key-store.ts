import type { Category } from '@waypoint/contracts';
import {
  BaseKeyStore,
  type Rewrap,
  type StoredKey,
  type StoredWrappedKey,
  type TombstoneRequest,
  type Tombstoned,
} from '../base-key-store.js';
import type { KeyDestruction, KeyStoreOptions } from '../key-store.js';
import type { WrappedKey } from '../key-wrap.js';

type Row =
  | { readonly subject: string; readonly category: Category; readonly key: WrappedKey }
  | { readonly subject: string; readonly category: Category; readonly destroyedAt: string };

/**
 * What a memory key store keeps: the key table and the destruction log. Give two stores the same
 * storage to play two processes, or a store a `copy()` to play a restored backup.
 */
export class MemoryKeyStorage {
  readonly rows = new Map<string, Row>();
  readonly log: KeyDestruction[] = [];

  copy(): MemoryKeyStorage {
    const copy = new MemoryKeyStorage();
    for (const [id, row] of this.rows) {
      copy.rows.set(id, 'key' in row ? { ...row, key: copyKey(row.key) } : { ...row });
    }
    copy.log.push(...this.log.map((entry) => ({ ...entry })));
    return copy;
  }

  get lastSeq(): number {
    return this.log.at(-1)?.seq ?? 0;
  }
}

export interface MemoryKeyStoreOptions extends KeyStoreOptions {
  readonly storage?: MemoryKeyStorage;
}

export const rowId = (subject: string, category: string): string => `${category}\n${subject}`;

/** The key store for unit tests and specifications. Keys are wrapped here too, as in storage. */
export class MemoryKeyStore extends BaseKeyStore {
  readonly storage: MemoryKeyStorage;

  constructor(options: MemoryKeyStoreOptions) {
    super(options);
    this.storage = options.storage ?? new MemoryKeyStorage();
  }

  protected load(subject: string, category: Category): Promise<StoredKey> {
    const row = this.storage.rows.get(rowId(subject, category));
    if (!row) return Promise.resolve(null);
    // A copy, as a database read would give: a destroy wipes the stored bytes in place.
    return Promise.resolve('key' in row ? copyKey(row.key) : 'destroyed');
  }

  protected insertIfAbsent(subject: string, category: Category, key: WrappedKey): Promise<boolean> {
    const id = rowId(subject, category);
    if (this.storage.rows.has(id)) return Promise.resolve(false);
    this.storage.rows.set(id, { subject, category, key });
    return Promise.resolve(true);
  }

  protected tombstone(request: TombstoneRequest): Promise<Tombstoned[]> {
    const { subject, reason, destroyedAt } = request;
    return Promise.resolve(
      request.categories.map((category) => {
        const id = rowId(subject, category);
        const row = this.storage.rows.get(id);
        const logged = this.storage.log.find(
          (entry) => entry.subject === subject && entry.category === category,
        );
        if (row && !('key' in row) && logged) return { destruction: logged, destroyedNow: false };
        if (row && 'key' in row) row.key.wrapped.fill(0);
        this.storage.rows.set(id, { subject, category, destroyedAt });
        const destruction = logged ?? {
          seq: this.storage.lastSeq + 1,
          subject,
          category,
          destroyedAt,
          reason,
        };
        if (!logged) this.storage.log.push(destruction);
        return { destruction, destroyedNow: !row || 'key' in row };
      }),
    );
  }

  protected readLog(afterSeq: number): Promise<KeyDestruction[]> {
    return Promise.resolve(
      this.storage.log.filter((entry) => entry.seq > afterSeq).map((entry) => ({ ...entry })),
    );
  }

  protected wrappedNotUnder(
    kid: string,
    after: { readonly subject: string; readonly category: string } | null,
    limit: number,
  ): Promise<StoredWrappedKey[]> {
    const live: StoredWrappedKey[] = [];
    for (const row of this.storage.rows.values()) {
      if ('key' in row && row.key.kid !== kid) {
        live.push({ subject: row.subject, category: row.category, ...copyKey(row.key) });
      }
    }
    const order = (a: { subject: string; category: string }, b: typeof a): number =>
      a.subject === b.subject ? compare(a.category, b.category) : compare(a.subject, b.subject);
    return Promise.resolve(
      live
        .filter((row) => after === null || order(row, after) > 0)
        .sort(order)
        .slice(0, limit),
    );
  }

  protected replaceWrapped(rewraps: readonly Rewrap[]): Promise<number> {
    let changed = 0;
    for (const { subject, category, fromKid, to } of rewraps) {
      const id = rowId(subject, category);
      const row = this.storage.rows.get(id);
      if (row && 'key' in row && row.key.kid === fromKid) {
        this.storage.rows.set(id, { subject, category, key: to });
        changed += 1;
      }
    }
    return Promise.resolve(changed);
  }

  protected closeStorage(): Promise<void> {
    return Promise.resolve();
  }
}

function copyKey(key: WrappedKey): WrappedKey {
  return { kid: key.kid, wrapped: Buffer.from(key.wrapped) };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
