export {
  PostgresEventStore,
  type PostgresEventStoreOptions,
  type PostgresTransaction,
} from './postgres-event-store.js';
export { migrate, MIGRATIONS } from './migrations.js';
export { oldestOpenTransaction, type OldestTransaction } from './oldest-transaction.js';
