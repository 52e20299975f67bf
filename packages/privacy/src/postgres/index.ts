export {
  MIGRATIONS as KEY_STORE_MIGRATIONS,
  migrate as migrateKeyStore,
  type Migration as KeyStoreMigration,
} from './migrations.js';
export { PostgresKeyStore, type PostgresKeyStoreOptions } from './postgres-key-store.js';
