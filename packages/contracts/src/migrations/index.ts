export type { Migration } from './migration.js';
export {
  migratePostgres,
  type PostgresMigrationDb,
  type PostgresMigrationPlan,
} from './postgres-migrations.js';
export { migrateSqlite, type SqliteMigrationDb } from './sqlite-migrations.js';
