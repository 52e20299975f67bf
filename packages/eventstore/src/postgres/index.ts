export {
  PostgresEventStore,
  type PostgresEventStoreOptions,
  type PostgresTransaction,
} from './postgres-event-store.js';
export { migrate, MIGRATIONS, type Migration } from './migrations.js';
export { oldestOpenTransaction, type OldestTransaction } from './oldest-transaction.js';
