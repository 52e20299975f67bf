import { join } from 'node:path';
import type { EventStore } from '@waypoint/eventstore';
import { SqliteEventStore } from '@waypoint/eventstore/sqlite';
import { careService } from '@waypoint/care-service';
import { journeyFactsView, knownOrganisationsView } from '@waypoint/journey-facts';
import { legalService } from '@waypoint/legal-service';
import { reintegrationService } from '@waypoint/reintegration-service';
import { shelterService } from '@waypoint/shelter-service';
import { ERASURE_SERVICES } from '@waypoint/contracts';
import { identificationService, reapplyErasures } from '@waypoint/identification-service';
import {
  BlindIndex,
  CachingKeyStore,
  FieldCipher,
  parseRetentionPolicy,
  SqliteKeyStore,
  parseMasterKey,
} from '@waypoint/privacy';
import {
  createAuthenticator,
  createServiceApp,
  operationNewId,
  resumableStore,
  scopedToOrganisations,
  type IdempotencyStoreOptions,
} from '@waypoint/service-kit';
import { SqliteIdempotencyStore } from '@waypoint/service-kit/sqlite';
import type { FastifyInstance } from 'fastify';
import { pino, type DestinationStream } from 'pino';
import { v7 } from 'uuid';
import { journeyService } from '@waypoint/journey-service';
import { analyticsService, indicatorSettingsOf, privacyRulesOf } from '@waypoint/analytics-service';
import { auditService, DigestLog, digestKeysFromPem, profilesOf } from '@waypoint/audit-service';
import { registerProjectionMetrics, type ProjectionEngine } from '@waypoint/projections';
import type { AllInOneConfig } from './config.js';
import { projectionRoutes } from './projection-routes.js';
import {
  embeddedProjections,
  projectionEngine,
  readModelsFolder,
  startProjections,
} from './read-models.js';
import { ReadModelsOnDemand } from './read-models-on-demand.js';
import { DEMO_AUDIENCE, DEMO_ISSUER } from './demo.js';
import { loadOrCreateSecrets, type InstallSecrets } from './install-secrets.js';
import { seedDemo } from './seed.js';
import { CatchUpProgress, headPosition } from './catch-up.js';
import { secureDataFolder } from './data-folder.js';
import { demoClock, type DemoClock } from './demo-clock.js';
import { noProgress, type ProgressSink } from './progress.js';

export interface Embedded {
  readonly app: FastifyInstance;
  readonly store: EventStore;
  readonly secrets: InstallSecrets;
  readonly createdSecrets: boolean;
  readonly projections: ProjectionEngine;
  /** Why the read models were rebuilt from the events at start, if they were. */
  readonly readModelsRebuilt: 'missing' | 'damaged' | false;
  /** Closes the app; its onClose hook closes the stores (also on a graceful shutdown). */
  close(): Promise<void>;
}

/** What tests tune; the defaults are what the process runs with. */
export interface EmbeddedOptions {
  /** Idempotency-Key records: retention and claim timeout (defaults: 24 h and 60 s). */
  readonly idempotency?: IdempotencyStoreOptions;
}

/**
 * Every service in one process, on one data folder: events in SQLite (durable, locked against a
 * second process), data keys in their own SQLite file, tokens signed by the install's own key.
 */
interface Stores {
  readonly store: SqliteEventStore;
  readonly keyStore: CachingKeyStore;
  /** Idempotency-Key records survive a restart: a retry after one still gets its first answer. */
  readonly idempotency: SqliteIdempotencyStore;
  readonly secrets: InstallSecrets;
  readonly projections: ProjectionEngine;
}

/** How the one app of the process runs while the demo data goes in, and after. */
interface AppMode {
  /** The demo clock: when each demo fact happened while they go in, the real time after. */
  readonly now: () => Date;
  /** True while the demo data goes in: the rate limit then counts nothing. */
  readonly seeding: () => boolean;
}

async function buildApp(
  config: AllInOneConfig,
  { store, keyStore, idempotency, secrets, projections }: Stores,
  mode: AppMode,
  logDestination?: DestinationStream,
): Promise<FastifyInstance> {
  const identification = identificationService({
    blindIndex: BlindIndex.fromConfig(secrets.blindIndexKey),
    breakGlassMinutes: config.BREAK_GLASS_MINUTES,
    erasure: {
      localServices: ERASURE_SERVICES,
      retention: parseRetentionPolicy(config.ERASURE_RETENTION),
      // On a timer once the app listens: never while the demo data goes in.
      intervalMs: config.ERASURE_INTERVAL_MS,
    },
  });
  const reintegration = reintegrationService({
    returnRiskAssessmentMaxAgeDays: config.RETURN_RISK_ASSESSMENT_MAX_AGE_DAYS,
  });
  const analytics = analyticsService({
    privacy: privacyRulesOf(config),
    indicators: indicatorSettingsOf(config),
  });
  const audit = auditService({
    profiles: profilesOf(config),
    digests: {
      log: new DigestLog(join(config.DATA_DIR, 'audit-digests.jsonl')),
      keys: digestKeysFromPem('install-digest-1', secrets.digestKey),
    },
    // On timers once the app listens: never while the demo data goes in.
    sweepIntervalMs: config.AUDIT_SWEEP_INTERVAL_MS,
    digestIntervalMs: config.AUDIT_DIGEST_INTERVAL_MS,
  });
  // A token must name an organisation of the directory; the DPO role counts in DPO_ORG_IDS only.
  const organisations = knownOrganisationsView(store);
  const app = await createServiceApp({
    name: 'waypoint',
    version: '0.1.0',
    logger: logDestination ?? { level: config.LOG_LEVEL },
    authenticator: scopedToOrganisations(
      createAuthenticator(
        { publicJwk: secrets.signingKey.publicJwk },
        {
          issuer: DEMO_ISSUER,
          audience: DEMO_AUDIENCE,
          maxLifetimeSeconds: config.TOKEN_MAX_LIFETIME_SECONDS,
        },
      ),
      {
        dpoOrgIds: new Set(config.DPO_ORG_IDS),
        isKnown: async (orgId) => (await organisations.current()).has(orgId),
      },
    ),
    bodyLimit: config.BODY_LIMIT_BYTES,
    rateLimit: { max: config.RATE_LIMIT_PER_MINUTE, timeWindow: 60_000, paused: mode.seeding },
    readiness: async () => (await store.streamRevision('health-probe')) === null,
    idempotencyStore: idempotency,
    metricsCredential: secrets.metricsCredential,
    redactPaths: [
      identification,
      careService,
      shelterService,
      legalService,
      reintegration,
      journeyService,
      analytics,
      audit,
    ].flatMap((service) => service.redactPaths ?? []),
  });
  app.addHook('onClose', () => organisations.stop());
  // One copy of every journey's identification facts, shared by the services that need them.
  const journeys = journeyFactsView(store);
  const context = {
    // Routes decide on a store and ids that follow an Idempotency-Key request run again after its
    // first run died between its append and its answer (service-kit's `idempotent`).
    store: resumableStore(store),
    keyStore,
    cipher: new FieldCipher(keyStore),
    journeys: () => journeys,
    readModels: projections,
    now: mode.now,
    newId: operationNewId(v7),
  };
  await identification.register(app, identification.deps(context));
  await careService.register(app, careService.deps(context));
  await legalService.register(app, legalService.deps(context));
  await reintegration.register(app, reintegration.deps(context));
  await shelterService.register(app, shelterService.deps(context));
  await journeyService.register(app, journeyService.deps(context));
  await analytics.register(app, analytics.deps(context));
  await audit.register(app, audit.deps(context));
  await app.register(projectionRoutes(projections));
  registerProjectionMetrics(app.metrics.registry, projections);
  return app;
}

/**
 * The demo data, entered through the app itself before it listens: its clock set to when each
 * demo fact happened, its rate limit paused, its scheduled duties not yet started (they start
 * when it listens), and, at the default log level, no request log line per demo command (some
 * 44,000 lines for 1,000 journeys, beside the progress bar). One app, not one to seed and another
 * to serve: a second app's routes, schemas and views cost 10-15 MB at the start's peak.
 */
async function seedThrough(
  app: FastifyInstance,
  config: AllInOneConfig,
  stores: Stores,
  keys: SqliteKeyStore,
  clock: DemoClock,
  progress: ProgressSink,
): Promise<{ organisations: number; journeys: number }> {
  const level = app.log.level;
  if (level === 'info') app.log.level = 'warn';
  try {
    // Demo data can be made again: its commits skip the fsync, in the event store and in the key
    // store (each file stays consistent; a power cut, not a crash, may lose the last of them).
    return await stores.store.withRelaxedDurability(() =>
      keys.withRelaxedDurability(() =>
        seedDemo(app, stores.store, stores.secrets.signingKey.privateJwk, config.DEMO_JOURNEYS, {
          clock,
          progress,
        }),
      ),
    );
  } finally {
    app.log.level = level;
    clock.release();
  }
}

/**
 * Every service in one process, on one data folder: events in SQLite (durable, locked against a
 * second process), data keys in their own SQLite file, tokens signed by the install's own key.
 * The app is built, then the demo data goes in through it (`seedThrough`). Meanwhile the read
 * models stand still, not even open (the process never holds PGlite while the demo goes in); a
 * missing read-model folder is made meanwhile by a process of its own. Then they open and catch
 * up in batches of their own (one small transaction per command per read model is what made a
 * large demo take minutes), and only then is the app returned to listen.
 */
export async function startEmbedded(
  config: AllInOneConfig,
  logDestination?: DestinationStream,
  progress: ProgressSink = noProgress,
  options: EmbeddedOptions = {},
): Promise<Embedded & { seeded: { organisations: number; journeys: number } }> {
  secureDataFolder(config.DATA_DIR);
  const { secrets, created } = await loadOrCreateSecrets(config.DATA_DIR);
  const store = new SqliteEventStore({ file: join(config.DATA_DIR, 'events.sqlite') });
  const projectionLog = pino(
    { level: config.LOG_LEVEL, name: 'projections' },
    logDestination ?? pino.destination(1),
  );
  const profiles = profilesOf(config);
  // A missing folder is made from here on, by initdb in a process of its own, on another core.
  const folder = readModelsFolder(config.DATA_DIR);
  const readModels = new ReadModelsOnDemand(async () => {
    const opened = await folder.open();
    // The engine's tables and first generations, made by an engine that does not run.
    const setUp = await startProjections(store, opened.db, profiles, projectionLog, {
      run: false,
    });
    await setUp.stop();
    return opened;
  }, folder);
  // Not started until the demo data is in: its read models open only if a request reads them
  // (none of the demo's does).
  const catchUp = new CatchUpProgress();
  const projections = projectionEngine(store, readModels.db, profiles, projectionLog, {
    onApplied: catchUp.onApplied,
  });
  const keys = new SqliteKeyStore({
    file: join(config.DATA_DIR, 'keys.sqlite'),
    masterKey: parseMasterKey(secrets.masterKey),
  });
  const stores: Stores = {
    store,
    projections,
    keyStore: new CachingKeyStore(keys),
    idempotency: new SqliteIdempotencyStore(
      join(config.DATA_DIR, 'idempotency.sqlite'),
      options.idempotency,
    ),
    secrets,
  };
  const closeStores = async (): Promise<void> => {
    await projections.stop();
    await readModels.close();
    await stores.store.close();
    await stores.keyStore.close();
    stores.idempotency.close();
  };
  const clock = demoClock();
  let seeding = true;
  let app: FastifyInstance | undefined;
  try {
    // A restored key store may hold keys an erasure destroyed since its backup: destroy them again
    // before anything is served.
    await reapplyErasures(store, stores.keyStore);
    app = await buildApp(
      config,
      stores,
      { now: () => clock.now(), seeding: () => seeding },
      logDestination,
    );
    app.addHook('onClose', closeStores);
    await app.ready();
    const seeded = await seedThrough(app, config, stores, keys, clock, progress);
    seeding = false;
    const opened = await readModels.open();
    if (opened.initialisedHere !== undefined)
      app.log.warn(
        { reason: opened.initialisedHere },
        'the new read-model folder was made in this process (initdb needs several hundred MB for a moment)',
      );
    // Serve once the read models hold everything recorded so far (a rebuild takes a moment).
    catchUp.begin(
      await headPosition(store),
      embeddedProjections(profiles).length,
      seeded.journeys > 0 || opened.rebuilt !== false ? progress : noProgress,
      'read models',
    );
    await projections.start();
    await catchUp.follow(projections.whenCaughtUp());
    // PostgreSQL rewrites some files as it opens (with the process's umask, which `main` sets to
    // 077 but a host process may not): tightened once more now that every store is open.
    secureDataFolder(config.DATA_DIR);
    const served = app;
    return {
      app: served,
      store: stores.store,
      secrets,
      createdSecrets: created,
      projections,
      readModelsRebuilt: opened.rebuilt,
      seeded,
      close: () => served.close(),
    };
  } catch (error) {
    // The app's onClose closes the stores once it is built; before, they are closed here.
    if (app) await app.close();
    else await closeStores();
    throw error;
  }
}
