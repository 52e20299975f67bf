import { execFile } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { RecordedEvent } from '@waypoint/eventstore';
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
  /** Why a new folder was made in this process rather than by a short-lived one, if it was. */
  readonly initialisedHere?: string;
}

/**
 * PostgreSQL's defaults are sized for a server: 128 MB of shared buffers and shared memory for 100
 * connections. The embedded read models of one installation are a few tens of MB, PGlite serves
 * one connection, and it keeps all of it in the process's memory. Measured with 1,000 demo
 * journeys (peak resident memory of the start, two runs each): 16 MB and 100 connections 288-292
 * MB, 8 MB and 8 connections 269-276 MB, catching up in the same 10-11 s.
 */
const SETTINGS: Readonly<Record<string, string>> = {
  shared_buffers: '8MB',
  max_connections: '8',
};

const alterSystem = (name: string, value: string): string =>
  `ALTER SYSTEM SET ${name} = '${value}'`;

/**
 * A new PGlite folder is made by initdb, which needs several hundred MB for a moment (the
 * catalogue is built in memory, then written out). As PostgreSQL does, it runs in a process of
 * its own that exits afterwards, so the server's own memory never holds it. If that process cannot
 * run, or leaves no cluster in the folder, the folder is made on open, here, as before: the
 * answer is then why, for the caller to warn (that start peaks several hundred MB higher).
 */
async function initialiseFolder(folder: string): Promise<string | undefined> {
  // The child runs elsewhere (see `cwd`): a relative folder (the default `.data`) would be made
  // there, not here.
  const absolute = resolve(folder);
  const script = [
    "const { PGlite } = await import('@electric-sql/pglite');",
    'const db = new PGlite(process.argv[1]);',
    'await db.waitReady;',
    ...Object.entries(SETTINGS).map(
      ([name, value]) => `await db.exec(${JSON.stringify(alterSystem(name, value))});`,
    ),
    'await db.close();',
  ].join('\n');
  try {
    // `@electric-sql/pglite` resolves from the projections package, which depends on it.
    const projections = realpathSync(
      fileURLToPath(new URL('../node_modules/@waypoint/projections', import.meta.url)),
    );
    await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, absolute], {
      cwd: projections,
      timeout: 120_000,
    });
    if (existsSync(join(absolute, 'PG_VERSION'))) return undefined;
    rmSync(absolute, { recursive: true, force: true });
    return 'the initdb process left no cluster in the folder';
  } catch (error) {
    rmSync(absolute, { recursive: true, force: true });
    const stderr = (error as { stderr?: unknown }).stderr;
    const lines = (typeof stderr === 'string' ? stderr : String(error)).split('\n');
    return `the initdb process failed: ${lines.find((line) => /^\w*Error\b/.test(line)) ?? lines[0] ?? ''}`;
  }
}

/**
 * Folders made before a setting was chosen, or with another value, get it too (it applies from
 * the next start: both settings size shared memory, which PostgreSQL sets up once).
 */
async function applySettings(db: SqlDatabase, folder: string): Promise<void> {
  const auto = join(folder, 'postgresql.auto.conf');
  const written = existsSync(auto) ? readFileSync(auto, 'utf8') : '';
  for (const [name, value] of Object.entries(SETTINGS))
    if (!written.includes(`${name} = '${value}'`)) await db.exec(alterSystem(name, value));
}

/** The read models' folder, seen once at start; a missing one is being made already. */
export interface ReadModelsFolder {
  /** Opens the read models (making a missing folder first, or waiting for it to be made). */
  open(): Promise<OpenedReadModels>;
  /** Resolves once no initdb process runs for this folder any more. */
  settled(): Promise<void>;
}

/**
 * The embedded read models live in PGlite in the data folder. They are disposable: a folder that
 * is missing, or that PGlite cannot open, is (re)built from the events. A missing folder is made
 * at once, by initdb in a process of its own, so that it runs on another core while this one goes
 * on (the embedded start enters its demo data meanwhile: some seconds saved on a first start).
 */
export function readModelsFolder(dataDir: string): ReadModelsFolder {
  const folder = join(dataDir, 'readmodels');
  const initialising = existsSync(folder) ? undefined : initialiseFolder(folder);
  const fresh = async (
    rebuilt: 'missing' | 'damaged',
    initialised: Promise<string | undefined>,
  ): Promise<OpenedReadModels> => {
    const initialisedHere = await initialised;
    const db = await createPgliteDatabase(folder);
    await applySettings(db, folder);
    return initialisedHere === undefined ? { db, rebuilt } : { db, rebuilt, initialisedHere };
  };
  return {
    async open() {
      if (initialising) return fresh('missing', initialising);
      try {
        const db = await createPgliteDatabase(folder);
        await db.query('SELECT 1');
        await applySettings(db, folder);
        return { db, rebuilt: false };
      } catch {
        rmSync(folder, { recursive: true, force: true });
        return fresh('damaged', initialiseFolder(folder));
      }
    },
    async settled() {
      await initialising;
    },
  };
}

/** `readModelsFolder(dataDir).open()`: for a caller with nothing to do while a folder is made. */
export function openReadModels(dataDir: string): Promise<OpenedReadModels> {
  return readModelsFolder(dataDir).open();
}

export interface ProjectionRun {
  /** Run the runners (false: the read models are only read, e.g. while the demo data goes in). */
  readonly run?: boolean;
  /** Called after each batch a projection committed (progress). */
  readonly onApplied?: (name: string, events: readonly RecordedEvent[]) => void;
}

/**
 * The engine of the read models, not started. Catch-up batches are small: the eight projections
 * each hold a batch of events while they apply it, and PGlite's memory grows with a transaction's
 * size and never shrinks (measured catching up 1,000 demo journeys, 22,082 events: 2,000 per batch
 * peaked about 20 MB higher than 250, in the same time).
 */
export function projectionEngine(
  store: EventStore,
  db: SqlDatabase,
  profiles: readonly JurisdictionProfile[],
  log: RunnerLog,
  { run = true, onApplied }: ProjectionRun = {},
): ProjectionEngine {
  return new ProjectionEngine({
    store,
    db,
    projections: embeddedProjections(profiles),
    batchSize: 250,
    pollIntervalMs: 200,
    log,
    run,
    ...(onApplied ? { onApplied } : {}),
  });
}

/** `projectionEngine`, started: its tables made, its runners running (unless `run` is false). */
export async function startProjections(
  store: EventStore,
  db: SqlDatabase,
  profiles: readonly JurisdictionProfile[],
  log: RunnerLog,
  options: ProjectionRun = {},
): Promise<ProjectionEngine> {
  return projectionEngine(store, db, profiles, log, options).start();
}
