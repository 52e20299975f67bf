import type { Category } from '@waypoint/contracts';
import { beforeEach, describe, expect, it } from 'vitest';
import { CachingKeyStore } from './caching-key-store.js';
import { expectCode, newMasterKey, uniqueSubject } from './contract/index.js';
import type { KeyStore } from './key-store.js';
import { MemoryKeyStorage, MemoryKeyStore } from './memory/index.js';

const k1 = newMasterKey('k1');

function gate(): { readonly passed: Promise<void>; open(): void } {
  let open: () => void = () => undefined;
  const passed = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { passed, open };
}

/**
 * A key store whose answers wait at gates: keyFor reads the key at once but answers only when
 * `keyFor` opens (a read in flight); destroy starts only when `destroy` opens (a slow commit).
 */
function gated(
  inner: KeyStore,
  gates: { readonly keyFor?: Promise<void>; readonly destroy?: Promise<void> },
): KeyStore {
  return {
    keyFor: async (subject: string, category: Category) => {
      const key = await inner.keyFor(subject, category);
      await gates.keyFor;
      return key;
    },
    findKey: (subject, category) => inner.findKey(subject, category),
    destroy: async (subject, categories, reason) => {
      await gates.destroy;
      return inner.destroy(subject, categories, reason);
    },
    destructions: (afterSeq) => inner.destructions(afterSeq),
    applyDestructions: (log) => inner.applyDestructions(log),
    rotateMasterKey: (next) => inner.rotateMasterKey(next),
    close: () => inner.close(),
  };
}

describe('CachingKeyStore', () => {
  let storage: MemoryKeyStorage;
  /** Another process on the same key storage, with no cache. */
  let elsewhere: MemoryKeyStore;
  let clock: number;
  let subject: string;
  beforeEach(() => {
    storage = new MemoryKeyStorage();
    elsewhere = new MemoryKeyStore({ masterKey: k1, storage });
    clock = 0;
    subject = uniqueSubject();
  });
  const cached = (options: { maxEntries?: number } = {}): CachingKeyStore =>
    new CachingKeyStore(new MemoryKeyStore({ masterKey: k1, storage }), {
      ttlMs: 1_000,
      now: () => clock,
      ...options,
    });

  describe('a key destroyed through the cache', () => {
    it('is gone at once', async () => {
      const store = cached();
      await store.keyFor(subject, 'identity');
      await store.destroy(subject, ['identity'], 'erasure-request');
      await expectCode(store.keyFor(subject, 'identity'), 'KEY_DESTROYED');
      expect(await store.findKey(subject, 'identity')).toBe('destroyed');
    });

    it('is not cached by a read that was in flight while it was destroyed', async () => {
      const reads = gate();
      const store = new CachingKeyStore(
        gated(new MemoryKeyStore({ masterKey: k1, storage }), { keyFor: reads.passed }),
        { now: () => clock },
      );
      await elsewhere.keyFor(subject, 'identity');
      const inFlight = store.keyFor(subject, 'identity');
      await store.destroy(subject, ['identity'], 'erasure-request');
      reads.open();
      // The read began before the destruction, so it may still answer with the key...
      expect(await inFlight).toHaveLength(32);
      // ...but it must not leave it behind.
      await expectCode(store.keyFor(subject, 'identity'), 'KEY_DESTROYED');
    });

    it('is not cached by a read made while the destruction was under way', async () => {
      const commit = gate();
      const store = new CachingKeyStore(
        gated(new MemoryKeyStore({ masterKey: k1, storage }), { destroy: commit.passed }),
        { now: () => clock },
      );
      await elsewhere.keyFor(subject, 'identity');
      const destroying = store.destroy(subject, ['identity'], 'erasure-request');
      expect(await store.keyFor(subject, 'identity')).toHaveLength(32);
      commit.open();
      await destroying;
      await expectCode(store.keyFor(subject, 'identity'), 'KEY_DESTROYED');
    });
  });

  describe('a key destroyed by another process', () => {
    it('stays readable here until the cached key expires (the multi-process caveat), then is gone', async () => {
      const store = cached();
      const key = await store.keyFor(subject, 'health');
      await elsewhere.destroy(subject, ['health'], 'erasure-request');
      expect(await store.keyFor(subject, 'health')).toEqual(key);
      clock += 1_000;
      await expectCode(store.keyFor(subject, 'health'), 'KEY_DESTROYED');
    });

    it('is seen at once when the key had been pushed out of a full cache', async () => {
      const store = cached({ maxEntries: 1 });
      await store.keyFor(subject, 'health');
      await store.keyFor(uniqueSubject(), 'health');
      await elsewhere.destroy(subject, ['health'], 'erasure-request');
      await expectCode(store.keyFor(subject, 'health'), 'KEY_DESTROYED');
    });

    it('is seen at once after the destruction log is applied here', async () => {
      const store = cached();
      await store.keyFor(subject, 'notes');
      await elsewhere.destroy(subject, ['notes'], 'erasure-request');
      expect(await store.applyDestructions(await elsewhere.destructions())).toBe(0);
      await expectCode(store.keyFor(subject, 'notes'), 'KEY_DESTROYED');
    });
  });

  describe('a cached key', () => {
    it('is handed out as a copy: wiping one does not corrupt the next', async () => {
      const store = cached();
      const first = await store.keyFor(subject, 'identity');
      const expected = Buffer.from(first);
      first.fill(0);
      expect(await store.keyFor(subject, 'identity')).toEqual(expected);
      const found = await store.findKey(subject, 'identity');
      expect(found).toEqual(expected);
      (found as Buffer).fill(0);
      expect(await store.keyFor(subject, 'identity')).toEqual(expected);
    });
  });
});
