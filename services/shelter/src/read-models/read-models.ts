import type { SqlDatabase } from '@waypoint/projections';

/**
 * Where the service's read models are and which schema serves each now. The projection engine
 * that keeps them is one (`db` and `schemaOf`); so is anything that reads the same database.
 */
export interface ReadModels {
  readonly db: SqlDatabase;
  schemaOf(name: string): Promise<string>;
}
