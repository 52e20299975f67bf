export type { HeldLock, Projection, Row, SqlClient, SqlDatabase } from './types.js';
export { createPostgresDatabase, PostgresDatabase } from './sql/postgres-database.js';
export { createPgliteDatabase, PgliteDatabase } from './sql/pglite-database.js';
export {
  ProjectionEngine,
  UnknownProjectionError,
  type GenerationStatus,
  type ParkedEvent,
  type ProjectionEngineOptions,
} from './engine.js';
export { CheckpointMovedError, applyDeduplicated, applyLogBatch } from './apply-batch.js';
export type { RunnerLog } from './generation-runner.js';
export type { Lag } from './lag.js';
export { migrateRegistry, schemaName, type Generation } from './registry.js';
export { replay } from './replay.js';
export { isTransient } from './transient.js';
export { registerProjectionMetrics } from './metrics.js';
export { CLI_USAGE, runProjectionsCli, type CliOutput } from './cli.js';
export {
  applyJourneyFold,
  dayOf,
  iso,
  journeyFoldOf,
  journeyOf,
  recompute,
  setupJourneyFold,
  type Fact,
  type JourneyFold,
  type Kept,
  type KeptFact,
  type TypedJourneyFold,
} from './journey-fold.js';
