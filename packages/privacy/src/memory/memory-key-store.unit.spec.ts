import { CachingKeyStore } from '../caching-key-store.js';
import { keyStoreContract, type KeyStoreStorage, type OpenOptions } from '../contract/index.js';
import { MemoryKeyStorage, MemoryKeyStore, rowId } from './memory-key-store.js';

function memoryStorage(wrap: (store: MemoryKeyStore) => CachingKeyStore | MemoryKeyStore) {
  return (): Promise<KeyStoreStorage> => {
    let storage = new MemoryKeyStorage();
    return Promise.resolve({
      open: async (options: OpenOptions) => {
        await Promise.resolve();
        return wrap(new MemoryKeyStore({ ...options, storage }));
      },
      backup: () => {
        const saved = storage.copy();
        return Promise.resolve(() => {
          storage = saved.copy();
          return Promise.resolve();
        });
      },
      copyWrappedKey: (from, to, category) => {
        const row = storage.rows.get(rowId(from, category));
        if (!row || !('key' in row)) throw new Error('no wrapped key to copy');
        storage.rows.set(rowId(to, category), { subject: to, category, key: row.key });
        return Promise.resolve();
      },
      holdsWrappedKey: (subject, category) =>
        Promise.resolve('key' in (storage.rows.get(rowId(subject, category)) ?? {})),
      dispose: () => Promise.resolve(),
    });
  };
}

keyStoreContract('MemoryKeyStore', { storage: memoryStorage((store) => store) });

// The cache must be invisible: the same contract holds through it.
keyStoreContract('CachingKeyStore over MemoryKeyStore', {
  storage: memoryStorage((store) => new CachingKeyStore(store)),
});
