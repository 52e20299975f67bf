export {
  MemoryKeyStorage,
  MemoryKeyStore,
  type MemoryKeyStoreOptions,
} from './memory-key-store.js';
