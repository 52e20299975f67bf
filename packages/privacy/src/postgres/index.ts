export { MIGRATIONS as KEY_STORE_MIGRATIONS, migrate as migrateKeyStore } from './migrations.js';
export { PostgresKeyStore, type PostgresKeyStoreOptions } from './postgres-key-store.js';
