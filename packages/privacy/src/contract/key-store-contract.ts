import type { Category } from '@waypoint/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyStore } from '../key-store.js';
import type { MasterKey } from '../master-key.js';
import { expectCode, newMasterKey, uniqueSubject } from './fixtures.js';

export interface OpenOptions {
  readonly masterKey: MasterKey;
  readonly previousMasterKeys?: readonly MasterKey[];
  readonly rotationBatchSize?: number;
}

/** One adapter's storage, and what a person with access to it (an operator, an attacker) can do. */
export interface KeyStoreStorage {
  /** Opens a store on this storage; several may be open at once, as several processes would. */
  open(options: OpenOptions): Promise<KeyStore>;
  /**
   * Copies the storage aside as a backup would, while no store is open on it, and returns the
   * restore: it puts the copy back, again while no store is open.
   */
  backup(): Promise<() => Promise<void>>;
  /** Writes subject `from`'s wrapped key into a new row for subject `to`, behind the store's back. */
  copyWrappedKey(from: string, to: string, category: Category): Promise<void>;
  /** Whether the row of this key still holds wrapped key material. */
  holdsWrappedKey(subject: string, category: Category): Promise<boolean>;
  dispose(): Promise<void>;
}

export interface KeyStoreContractOptions {
  /** New, empty storage. */
  readonly storage: () => Promise<KeyStoreStorage>;
}

/** The one suite every KeyStore passes: memory, PostgreSQL, SQLite, and the caching wrapper. */
export function keyStoreContract(name: string, options: KeyStoreContractOptions): void {
  describe(`${name}: the KeyStore contract`, () => {
    const k1 = newMasterKey('k1');
    let storage: KeyStoreStorage;
    let store: KeyStore;
    beforeAll(async () => {
      storage = await options.storage();
      store = await storage.open({ masterKey: k1 });
    });
    afterAll(async () => {
      await store.close();
      await storage.dispose();
    });

    /** Fresh storage for a test that changes every key in it, or closes every store on it. */
    async function withStorage(test: (fresh: KeyStoreStorage) => Promise<void>): Promise<void> {
      const fresh = await options.storage();
      try {
        await test(fresh);
      } finally {
        await fresh.dispose();
      }
    }

    describe('a subject with no key yet', () => {
      it('findKey answers null and creates nothing', async () => {
        const subject = uniqueSubject();
        expect(await store.findKey(subject, 'identity')).toBeNull();
        expect(await store.findKey(subject, 'identity')).toBeNull();
        expect(await storage.holdsWrappedKey(subject, 'identity')).toBe(false);
      });

      it('keyFor creates a 256-bit key, then returns that same key, also from another store on the same storage', async () => {
        const subject = uniqueSubject();
        const key = await store.keyFor(subject, 'identity');
        expect(key).toHaveLength(32);
        expect(await store.keyFor(subject, 'identity')).toEqual(key);
        expect(await store.findKey(subject, 'identity')).toEqual(key);
        const other = await storage.open({ masterKey: k1 });
        try {
          expect(await other.keyFor(subject, 'identity')).toEqual(key);
        } finally {
          await other.close();
        }
      });

      it('gives every subject and every category a key of its own', async () => {
        const [a, b] = [uniqueSubject(), uniqueSubject()];
        const keys = await Promise.all([
          store.keyFor(a, 'identity'),
          store.keyFor(a, 'health'),
          store.keyFor(b, 'identity'),
          store.keyFor(b, 'health'),
        ]);
        expect(new Set(keys.map((key) => key.toString('hex'))).size).toBe(4);
      });

      it('agrees on one key when several stores create it at the same time', async () => {
        const subject = uniqueSubject();
        const others = await Promise.all([
          storage.open({ masterKey: k1 }),
          storage.open({ masterKey: k1 }),
        ]);
        try {
          const keys = await Promise.all(
            [store, ...others, store, ...others].map((each) => each.keyFor(subject, 'location')),
          );
          expect(new Set(keys.map((key) => key.toString('hex'))).size).toBe(1);
        } finally {
          await Promise.all(others.map((other) => other.close()));
        }
      });

      it('refuses a malformed subject or an unknown category', async () => {
        await expectCode(store.keyFor('', 'identity'), 'INVALID_SUBJECT');
        await expectCode(store.keyFor('x'.repeat(101), 'identity'), 'INVALID_SUBJECT');
        await expectCode(store.findKey('a\nb', 'identity'), 'INVALID_SUBJECT');
        await expectCode(store.keyFor(uniqueSubject(), 'finance' as Category), 'INVALID_CATEGORY');
      });
    });

    describe('destroying keys', () => {
      it('makes keyFor throw KEY_DESTROYED and never creates a new key, also after a reopen', async () => {
        const subject = uniqueSubject();
        await store.keyFor(subject, 'identity');
        await store.destroy(subject, ['identity'], 'erasure-request');
        await expectCode(store.keyFor(subject, 'identity'), 'KEY_DESTROYED');
        await expectCode(store.keyFor(subject, 'identity'), 'KEY_DESTROYED');
        expect(await store.findKey(subject, 'identity')).toBe('destroyed');
        const reopened = await storage.open({ masterKey: k1 });
        try {
          await expectCode(reopened.keyFor(subject, 'identity'), 'KEY_DESTROYED');
        } finally {
          await reopened.close();
        }
      });

      it('removes the wrapped key from storage', async () => {
        const subject = uniqueSubject();
        await store.keyFor(subject, 'health');
        expect(await storage.holdsWrappedKey(subject, 'health')).toBe(true);
        await store.destroy(subject, ['health'], 'erasure-request');
        expect(await storage.holdsWrappedKey(subject, 'health')).toBe(false);
      });

      it('leaves a tombstone for a category that had no key yet, so it is never created', async () => {
        const subject = uniqueSubject();
        await store.destroy(subject, ['legal'], 'erasure-request');
        await expectCode(store.keyFor(subject, 'legal'), 'KEY_DESTROYED');
        expect(await store.findKey(subject, 'legal')).toBe('destroyed');
      });

      it('destroys only the categories named', async () => {
        const subject = uniqueSubject();
        const notes = await store.keyFor(subject, 'notes');
        await store.keyFor(subject, 'health');
        await store.destroy(subject, ['health'], 'retention-expired');
        expect(await store.keyFor(subject, 'notes')).toEqual(notes);
        await expectCode(store.keyFor(subject, 'health'), 'KEY_DESTROYED');
      });

      it('is idempotent: destroying again returns the same log entries and adds none', async () => {
        const subject = uniqueSubject();
        await store.keyFor(subject, 'identity');
        const first = await store.destroy(subject, ['identity', 'location'], 'erasure-request');
        expect(first.map((entry) => entry.category)).toEqual(['identity', 'location']);
        const logged = await store.destructions();
        const again = await store.destroy(
          subject,
          ['location', 'identity', 'location'],
          'a-later-reason',
        );
        expect(again).toEqual([first[1], first[0]]);
        expect(await store.destructions()).toEqual(logged);
        expect(await store.destroy(subject, [], 'erasure-request')).toEqual([]);
      });

      it('writes each destruction to the log, in order, readable after a sequence number', async () => {
        const [a, b] = [uniqueSubject(), uniqueSubject()];
        const before = await store.destructions();
        const afterSeq = before.at(-1)?.seq ?? 0;
        const [first] = await store.destroy(a, ['notes'], 'erasure-request');
        const [second] = await store.destroy(b, ['identity'], 'retention-expired');
        expect(first).toMatchObject({ subject: a, category: 'notes', reason: 'erasure-request' });
        expect(second).toMatchObject({ subject: b, category: 'identity' });
        expect(Math.abs(Date.parse(first?.destroyedAt ?? '') - Date.now())).toBeLessThan(60_000);
        expect(await store.destructions(afterSeq)).toEqual([first, second]);
        expect(await store.destructions(first?.seq)).toEqual([second]);
        const all = await store.destructions();
        expect(all.map((entry) => entry.seq)).toEqual(
          [...all.map((entry) => entry.seq)].sort((x, y) => x - y),
        );
        await expectCode(store.destructions(-1), 'INVALID_SEQ');
      });

      it('refuses a missing reason, an unknown category or a malformed subject, destroying nothing', async () => {
        const subject = uniqueSubject();
        const key = await store.keyFor(subject, 'identity');
        await expectCode(store.destroy(subject, ['identity'], '  '), 'INVALID_REASON');
        await expectCode(
          store.destroy(subject, ['identity', 'finance' as Category], 'erasure-request'),
          'INVALID_CATEGORY',
        );
        await expectCode(store.destroy('', ['identity'], 'erasure-request'), 'INVALID_SUBJECT');
        expect(await store.keyFor(subject, 'identity')).toEqual(key);
      });
    });

    describe('restoring a backup taken before a destruction', () => {
      it('brings the key back until the destruction log is applied, then it is gone for good', async () => {
        await withStorage(async (fresh) => {
          const subject = uniqueSubject();
          const bystander = uniqueSubject();
          let current = await fresh.open({ masterKey: k1 });
          const key = await current.keyFor(subject, 'identity');
          const kept = await current.keyFor(bystander, 'identity');
          await current.keyFor(subject, 'notes');
          await current.close();
          const restore = await fresh.backup();

          current = await fresh.open({ masterKey: k1 });
          await current.destroy(subject, ['identity', 'notes', 'health'], 'erasure-request');
          // Kept outside the backup: shipped elsewhere, or read from KeyDestroyed events.
          const log = await current.destructions();
          await current.close();

          await restore();
          current = await fresh.open({ masterKey: k1 });
          try {
            // The danger this operation exists for: the restored key reads the data again.
            expect(await current.keyFor(subject, 'identity')).toEqual(key);
            expect(await current.destructions()).toEqual([]);

            expect(await current.applyDestructions(log)).toBe(3);
            await expectCode(current.keyFor(subject, 'identity'), 'KEY_DESTROYED');
            await expectCode(current.keyFor(subject, 'notes'), 'KEY_DESTROYED');
            await expectCode(current.keyFor(subject, 'health'), 'KEY_DESTROYED');
            expect(await fresh.holdsWrappedKey(subject, 'identity')).toBe(false);
            expect(await current.keyFor(bystander, 'identity')).toEqual(kept);
            const relogged = await current.destructions();
            expect(relogged.map(({ seq: _seq, ...entry }) => entry)).toEqual(
              log.map(({ seq: _seq, ...entry }) => entry),
            );

            expect(await current.applyDestructions(log)).toBe(0);
            expect(await current.destructions()).toEqual(relogged);
          } finally {
            await current.close();
          }
        });
      });

      it('refuses a malformed log entry before destroying anything', async () => {
        const subject = uniqueSubject();
        const key = await store.keyFor(subject, 'identity');
        const entry = {
          seq: 1,
          subject,
          category: 'identity' as const,
          destroyedAt: '2026-01-01T00:00:00.000Z',
          reason: 'erasure-request',
        };
        const error = await expectCode(
          store.applyDestructions([entry, { ...entry, destroyedAt: 'yesterday' }]),
          'INVALID_DESTRUCTION',
        );
        expect(error).toMatchObject({ field: 'log[1].destroyedAt' });
        await expectCode(
          store.applyDestructions([{ ...entry, subject: '' }]),
          'INVALID_DESTRUCTION',
        );
        expect(await store.keyFor(subject, 'identity')).toEqual(key);
      });
    });

    describe('master keys', () => {
      it('a rotation re-wraps every live key under the new master key, and every key stays the same', async () => {
        await withStorage(async (fresh) => {
          const k2 = newMasterKey('k2');
          const rotating = await fresh.open({ masterKey: k1, rotationBatchSize: 3 });
          const subjects = Array.from({ length: 7 }, uniqueSubject);
          const pairs = subjects.flatMap((subject) =>
            (['identity', 'health'] as const).map((category) => ({ subject, category })),
          );
          const keys = await Promise.all(
            pairs.map(({ subject, category }) => rotating.keyFor(subject, category)),
          );
          await rotating.destroy(uniqueSubject(), ['identity'], 'erasure-request');

          expect(await rotating.rotateMasterKey(k2)).toBe(pairs.length);
          const made = await rotating.keyFor(uniqueSubject(), 'notes');
          await rotating.close();

          const onlyK2 = await fresh.open({ masterKey: k2 });
          try {
            for (const [index, { subject, category }] of pairs.entries()) {
              expect(await onlyK2.keyFor(subject, category)).toEqual(keys[index]);
            }
            expect(made).toHaveLength(32);
          } finally {
            await onlyK2.close();
          }
        });
      });

      it('after a rotation the old master key unwraps nothing', async () => {
        await withStorage(async (fresh) => {
          const k2 = newMasterKey('k2');
          const subject = uniqueSubject();
          const rotating = await fresh.open({ masterKey: k1 });
          await rotating.keyFor(subject, 'identity');
          await rotating.rotateMasterKey(k2);
          await rotating.close();

          const onlyK1 = await fresh.open({ masterKey: k1 });
          const k1UnderK2sId = await fresh.open({ masterKey: { id: k2.id, key: k1.key } });
          try {
            const unknown = await expectCode(
              onlyK1.keyFor(subject, 'identity'),
              'MASTER_KEY_UNKNOWN',
            );
            expect(unknown).toMatchObject({ kid: 'k2' });
            await expectCode(k1UnderK2sId.findKey(subject, 'identity'), 'KEY_UNWRAP_FAILED');
          } finally {
            await onlyK1.close();
            await k1UnderK2sId.close();
          }
        });
      });

      it('a rotation resumes: run again, it re-wraps only the keys still under an old master key', async () => {
        await withStorage(async (fresh) => {
          const k2 = newMasterKey('k2');
          const rotating = await fresh.open({ masterKey: k1, rotationBatchSize: 2 });
          const early = await Promise.all(
            Array.from({ length: 5 }, () => rotating.keyFor(uniqueSubject(), 'identity')),
          );
          expect(await rotating.rotateMasterKey(k2)).toBe(early.length);
          expect(await rotating.rotateMasterKey(k2)).toBe(0);

          // A process still configured with k1 kept creating keys during the rotation.
          const stale = await fresh.open({ masterKey: k1, previousMasterKeys: [k2] });
          const late = uniqueSubject();
          const lateKeys = await Promise.all([
            stale.keyFor(late, 'identity'),
            stale.keyFor(late, 'legal'),
          ]);
          await stale.close();

          expect(await rotating.rotateMasterKey(k2)).toBe(2);
          await rotating.close();
          const onlyK2 = await fresh.open({ masterKey: k2 });
          try {
            expect(await onlyK2.keyFor(late, 'identity')).toEqual(lateKeys[0]);
            expect(await onlyK2.keyFor(late, 'legal')).toEqual(lateKeys[1]);
          } finally {
            await onlyK2.close();
          }
        });
      });

      it('a wrong master key fails clearly and yields no key', async () => {
        const subject = uniqueSubject();
        await store.keyFor(subject, 'health');
        const wrong = await storage.open({ masterKey: newMasterKey('k1') });
        try {
          const error = await expectCode(wrong.keyFor(subject, 'health'), 'KEY_UNWRAP_FAILED');
          expect(error.message).toMatch(/master key "k1"/);
          await expectCode(wrong.findKey(subject, 'health'), 'KEY_UNWRAP_FAILED');
        } finally {
          await wrong.close();
        }
      });

      it('one id with two different master keys is refused', async () => {
        await expectCode(store.rotateMasterKey(newMasterKey('k1')), 'INVALID_MASTER_KEY');
        await expectCode(
          storage.open({ masterKey: k1, previousMasterKeys: [newMasterKey('k1')] }),
          'INVALID_MASTER_KEY',
        );
      });

      it('a wrapped key copied onto another subject does not unwrap for them', async () => {
        const [owner, other] = [uniqueSubject(), uniqueSubject()];
        await store.keyFor(owner, 'identity');
        await storage.copyWrappedKey(owner, other, 'identity');
        await expectCode(store.keyFor(other, 'identity'), 'KEY_UNWRAP_FAILED');
      });
    });

    describe('a closed store', () => {
      it('refuses every call with KEY_STORE_CLOSED', async () => {
        const closed = await storage.open({ masterKey: k1 });
        await closed.close();
        await closed.close();
        const subject = uniqueSubject();
        await expectCode(closed.keyFor(subject, 'identity'), 'KEY_STORE_CLOSED');
        await expectCode(closed.findKey(subject, 'identity'), 'KEY_STORE_CLOSED');
        await expectCode(closed.destroy(subject, ['identity'], 'x'), 'KEY_STORE_CLOSED');
        await expectCode(closed.destructions(), 'KEY_STORE_CLOSED');
        await expectCode(closed.applyDestructions([]), 'KEY_STORE_CLOSED');
        await expectCode(closed.rotateMasterKey(newMasterKey('k9')), 'KEY_STORE_CLOSED');
      });
    });
  });
}
