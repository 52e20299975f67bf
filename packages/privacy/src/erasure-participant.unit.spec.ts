import { describe, expect, it } from 'vitest';
import { CachingKeyStore } from './caching-key-store.js';
import { newMasterKey, uniqueSubject } from './contract/index.js';
import {
  confirmPendingErasures,
  keyCachePurge,
  type ErasureCoordinator,
  type PurgeReport,
} from './erasure-participant.js';
import { MemoryKeyStorage, MemoryKeyStore } from './memory/index.js';

describe('CachingKeyStore.evict', () => {
  it('makes a destruction by another process visible here at once', async () => {
    const storage = new MemoryKeyStorage();
    const masterKey = newMasterKey('k1');
    const here = new CachingKeyStore(new MemoryKeyStore({ masterKey, storage }), { ttlMs: 60_000 });
    const elsewhere = new MemoryKeyStore({ masterKey, storage });
    const subject = uniqueSubject();
    const other = uniqueSubject();
    await here.keyFor(subject, 'identity');
    await here.keyFor(subject, 'health');
    await here.keyFor(other, 'identity');
    await elsewhere.destroy(subject, ['identity', 'health'], 'erasure-request');
    // Still cached: the TTL has not run out.
    expect(Buffer.isBuffer(await here.findKey(subject, 'identity'))).toBe(true);

    expect(here.evict(subject)).toBe(2);
    expect(await here.findKey(subject, 'identity')).toBe('destroyed');
    expect(await here.findKey(subject, 'health')).toBe('destroyed');
    expect(Buffer.isBuffer(await here.findKey(other, 'identity'))).toBe(true);
    // Tombstones stay: evicting again drops nothing live.
    expect(here.evict(subject)).toBe(0);
  });
});

describe('a service taking part in erasures', () => {
  it('purges, then confirms, each request waiting for it', async () => {
    const confirmed: [string, string, PurgeReport][] = [];
    const coordinator: ErasureCoordinator = {
      pending: (service) =>
        Promise.resolve(
          service === 'care'
            ? [
                { requestId: 'r1', personId: 'p1', categories: ['health'] },
                { requestId: 'r2', personId: 'p2', categories: ['identity'] },
              ]
            : [],
        ),
      confirm: (requestId, service, report) => {
        confirmed.push([requestId, service, report]);
        return Promise.resolve();
      },
    };
    const evicted: string[] = [];
    const purge = keyCachePurge({
      evict: (subject) => {
        evicted.push(subject);
        return 1;
      },
    });
    expect(await confirmPendingErasures(coordinator, 'care', purge)).toBe(2);
    expect(evicted).toEqual(['p1', 'p2']);
    expect(confirmed).toEqual([
      ['r1', 'care', { outcome: 'nothing_decrypted_kept', cacheEntriesEvicted: 1 }],
      ['r2', 'care', { outcome: 'nothing_decrypted_kept', cacheEntriesEvicted: 1 }],
    ]);
    expect(await confirmPendingErasures(coordinator, 'legal', purge)).toBe(0);
  });
  it('does not confirm a request whose purge failed', async () => {
    let confirmations = 0;
    const coordinator: ErasureCoordinator = {
      pending: () => Promise.resolve([{ requestId: 'r1', personId: 'p1', categories: ['health'] }]),
      confirm: () => {
        confirmations += 1;
        return Promise.resolve();
      },
    };
    await expect(
      confirmPendingErasures(coordinator, 'care', () => Promise.reject(new Error('disk'))),
    ).rejects.toThrow('disk');
    expect(confirmations).toBe(0);
  });
});
