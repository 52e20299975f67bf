import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStore } from '@waypoint/eventstore';
import { journeyFactsProjection } from '@waypoint/analytics-service';
import {
  accessLogProjection,
  findingsProjection,
  type JurisdictionProfile,
} from '@waypoint/audit-service';
import { carePlanProgressProjection } from '@waypoint/care-service';
import { journeyProjection, DEFAULT_DUE_POLICY } from '@waypoint/journey-service';
import { legalStatusProjection } from '@waypoint/legal-service';
import { reintegrationReviewsProjection } from '@waypoint/reintegration-service';
import { shelterOccupancyProjection } from '@waypoint/shelter-service';
import {
  createPgliteDatabase,
  ProjectionEngine,
  type Projection,
  type RunnerLog,
  type SqlDatabase,
} from '@waypoint/projections';

/** Every read model of the embedded process. */
export function embeddedProjections(profiles: readonly JurisdictionProfile[]): Projection[] {
  return [
    journeyProjection(DEFAULT_DUE_POLICY),
    journeyFactsProjection,
    findingsProjection({ profiles }),
    accessLogProjection(),
    shelterOccupancyProjection(),
    carePlanProgressProjection(),
    legalStatusProjection(),
    reintegrationReviewsProjection(),
  ];
}

export interface OpenedReadModels {
  readonly db: SqlDatabase;
  /** Why the read models start empty, if they do: they are then rebuilt from the events. */
  readonly rebuilt: 'missing' | 'damaged' | false;
}

/**
 * The embedded read models live in PGlite in the data folder. They are disposable: a folder that
 * is missing, or that PGlite cannot open, is (re)built from the events.
 */
export async function openReadModels(dataDir: string): Promise<OpenedReadModels> {
  const folder = join(dataDir, 'readmodels');
  if (!existsSync(folder)) return { db: await createPgliteDatabase(folder), rebuilt: 'missing' };
  try {
    const db = await createPgliteDatabase(folder);
    await db.query('SELECT 1');
    return { db, rebuilt: false };
  } catch {
    rmSync(folder, { recursive: true, force: true });
    return { db: await createPgliteDatabase(folder), rebuilt: 'damaged' };
  }
}

export async function startProjections(
  store: EventStore,
  db: SqlDatabase,
  profiles: readonly JurisdictionProfile[],
  log: RunnerLog,
  run = true,
): Promise<ProjectionEngine> {
  return new ProjectionEngine({
    store,
    db,
    projections: embeddedProjections(profiles),
    batchSize: 2_000,
    pollIntervalMs: 200,
    log,
    run,
  }).start();
}
