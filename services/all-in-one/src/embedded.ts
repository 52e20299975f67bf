import { join } from 'node:path';
import type { EventStore } from '@waypoint/eventstore';
import { SqliteEventStore } from '@waypoint/eventstore/sqlite';
import { CARE_REDACT_PATHS, registerCare } from '@waypoint/care-service';
import { journeyFactsView, knownOrganisationsView } from '@waypoint/journey-facts';
import { LEGAL_REDACT_PATHS, registerLegal } from '@waypoint/legal-service';
import { REINTEGRATION_REDACT_PATHS, registerReintegration } from '@waypoint/reintegration-service';
import {
  occupancyView,
  registerShelter,
  SHELTER_REDACT_PATHS,
  shelterRegistryView,
} from '@waypoint/shelter-service';
import { ERASURE_SERVICES } from '@waypoint/contracts';
import {
  reapplyErasures,
  registerIdentification,
  IDENTIFICATION_REDACT_PATHS,
  organisationDirectory,
  personIndex,
} from '@waypoint/identification-service';
import {
  BlindIndex,
  CachingKeyStore,
  FieldCipher,
  keyCachePurge,
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
import type { FastifyInstance } from 'fastify';
import { pino, type DestinationStream } from 'pino';
import { v7 } from 'uuid';
import {
  JOURNEY_PROJECTION,
  JourneyReadModel,
  DEFAULT_DUE_POLICY,
  registerJourney,
} from '@waypoint/journey-service';
import {
  indicatorSettingsOf,
  privacyRulesOf,
  registerAnalytics,
  sqlFactsSource,
} from '@waypoint/analytics-service';
import { DigestLog, digestKeysFromPem, profilesOf, registerAudit } from '@waypoint/audit-service';
import { registerProjectionMetrics, type ProjectionEngine } from '@waypoint/projections';
import type { AllInOneConfig } from './config.js';
import { projectionRoutes } from './projection-routes.js';
import { embeddedProjections, openReadModels, startProjections } from './read-models.js';
import { DEMO_AUDIENCE, DEMO_ISSUER } from './demo.js';
import { loadOrCreateSecrets, type InstallSecrets } from './install-secrets.js';
import { SqliteIdempotencyStore } from './sqlite-idempotency-store.js';
import { seedDemo } from './seed.js';
import { CatchUpProgress, headPosition } from './catch-up.js';
import { secureDataFolder } from './data-folder.js';
import { demoClock } from './demo-clock.js';
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

async function buildApp(
  config: AllInOneConfig,
  { store, keyStore, idempotency, secrets, projections }: Stores,
  rateLimited: boolean,
  logDestination?: DestinationStream,
  now: () => Date = () => new Date(),
): Promise<FastifyInstance> {
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
    rateLimit: rateLimited ? { max: config.RATE_LIMIT_PER_MINUTE, timeWindow: 60_000 } : false,
    readiness: async () => (await store.streamRevision('health-probe')) === null,
    idempotencyStore: idempotency,
    metricsCredential: secrets.metricsCredential,
    redactPaths: [
      ...IDENTIFICATION_REDACT_PATHS,
      ...CARE_REDACT_PATHS,
      ...SHELTER_REDACT_PATHS,
      ...LEGAL_REDACT_PATHS,
      ...REINTEGRATION_REDACT_PATHS,
    ],
  });
  app.addHook('onClose', () => organisations.stop());
  const cipher = new FieldCipher(keyStore);
  // One copy of every journey's identification facts, shared by the services that need them.
  const journeys = journeyFactsView(store);
  // Routes decide on a store and ids that follow an Idempotency-Key request run again after its
  // first run died between its append and its answer (service-kit's `idempotent`).
  const decideOn = resumableStore(store);
  const newId = operationNewId(v7);
  await registerIdentification(app, {
    store: decideOn,
    cipher,
    blindIndex: BlindIndex.fromConfig(secrets.blindIndexKey),
    directory: organisationDirectory(store),
    persons: personIndex(store),
    now,
    newId,
    breakGlassMinutes: config.BREAK_GLASS_MINUTES,
    erasure: {
      keys: keyStore,
      localServices: ERASURE_SERVICES,
      purge: keyCachePurge(keyStore),
      retention: parseRetentionPolicy(config.ERASURE_RETENTION),
      // Only the app that serves runs the erasure duties; the seeding app never does.
      intervalMs: rateLimited ? config.ERASURE_INTERVAL_MS : 0,
    },
  });
  await registerCare(app, {
    store: decideOn,
    cipher,
    journeys,
    now,
    newId,
    readModels: projections,
  });
  await registerLegal(app, {
    store: decideOn,
    cipher,
    journeys,
    now,
    newId,
    readModels: projections,
  });
  await registerReintegration(app, {
    store: decideOn,
    cipher,
    journeys,
    config: { returnRiskAssessmentMaxAgeDays: config.RETURN_RISK_ASSESSMENT_MAX_AGE_DAYS },
    now,
    newId,
    readModels: projections,
  });
  await registerShelter(app, {
    store: decideOn,
    cipher,
    journeys,
    shelters: shelterRegistryView(store),
    occupancy: occupancyView(store),
    now,
    newId,
    readModels: projections,
  });
  await registerJourney(app, {
    store: decideOn,
    cipher,
    readModel: new JourneyReadModel(projections.db, () => projections.schemaOf(JOURNEY_PROJECTION)),
    policy: DEFAULT_DUE_POLICY,
    now,
    newId,
  });
  await registerAnalytics(app, {
    facts: sqlFactsSource(projections.db, () => projections.schemaOf('analytics_journey_facts')),
    store: decideOn,
    privacy: privacyRulesOf(config),
    settings: indicatorSettingsOf(config),
    now,
    newId,
  });
  await registerAudit(app, {
    store: decideOn,
    cipher,
    journeys,
    readModels: projections,
    profiles: profilesOf(config),
    digests: {
      log: new DigestLog(join(config.DATA_DIR, 'audit-digests.jsonl')),
      keys: digestKeysFromPem('install-digest-1', secrets.digestKey),
    },
    // Only the app that serves runs the audit's timers; the seeding app never does.
    sweepIntervalMs: rateLimited ? config.AUDIT_SWEEP_INTERVAL_MS : 0,
    digestIntervalMs: rateLimited ? config.AUDIT_DIGEST_INTERVAL_MS : 0,
    now,
    newId,
  });
  await app.register(projectionRoutes(projections));
  registerProjectionMetrics(app.metrics.registry, projections);
  return app;
}

/**
 * Every service in one process, on one data folder: events in SQLite (durable, locked against a
 * second process), data keys in their own SQLite file, tokens signed by the install's own key.
 * The demo data goes in first, through the same API on an app of its own that is never rate
 * limited, never listens, and whose clock is set to when each demo fact happened. Meanwhile the
 * read models stand still; they catch up afterwards in large batches (one small transaction per
 * command per read model is what made a large demo take minutes).
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
  const readModels = await openReadModels(config.DATA_DIR).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  const projectionLog = pino(
    { level: config.LOG_LEVEL, name: 'projections' },
    logDestination ?? pino.destination(1),
  );
  const profiles = profilesOf(config);
  let projections = await startProjections(store, readModels.db, profiles, projectionLog, {
    run: false,
  });
  const stores: Stores = {
    store,
    projections,
    keyStore: new CachingKeyStore(
      new SqliteKeyStore({
        file: join(config.DATA_DIR, 'keys.sqlite'),
        masterKey: parseMasterKey(secrets.masterKey),
      }),
    ),
    idempotency: new SqliteIdempotencyStore(
      join(config.DATA_DIR, 'idempotency.sqlite'),
      options.idempotency,
    ),
    secrets,
  };
  const closeStores = async (): Promise<void> => {
    await projections.stop();
    await readModels.db.close();
    await stores.store.close();
    await stores.keyStore.close();
    stores.idempotency.close();
  };
  try {
    // A restored key store may hold keys an erasure destroyed since its backup: destroy them again
    // before anything is served.
    await reapplyErasures(store, stores.keyStore);
    const clock = demoClock();
    const seeding = await buildApp(config, stores, false, logDestination, () => clock.now());
    await seeding.ready();
    // Demo data can be made again: its commits skip the fsync (the file stays consistent).
    const seeded = await store.withRelaxedDurability(() =>
      seedDemo(seeding, store, secrets.signingKey.privateJwk, config.DEMO_JOURNEYS, {
        clock,
        progress,
      }),
    );
    await seeding.close();
    await projections.stop();
    // Serve once the read models hold everything recorded so far (a rebuild takes a moment).
    const catchUp = new CatchUpProgress();
    const head = await headPosition(store);
    projections = await startProjections(store, readModels.db, profiles, projectionLog, {
      onApplied: catchUp.onApplied,
    });
    await catchUp.follow(
      projections.whenCaughtUp(),
      head,
      embeddedProjections(profiles).length,
      seeded.journeys > 0 || readModels.rebuilt !== false ? progress : noProgress,
      'read models',
    );
    const app = await buildApp(config, { ...stores, projections }, true, logDestination);
    app.addHook('onClose', closeStores);
    await app.ready();
    // PostgreSQL rewrites some files as it opens (with the process's umask, which `main` sets to
    // 077 but a host process may not): tightened once more now that every store is open.
    secureDataFolder(config.DATA_DIR);
    return {
      app,
      store: stores.store,
      secrets,
      createdSecrets: created,
      projections,
      readModelsRebuilt: readModels.rebuilt,
      seeded,
      close: () => app.close(),
    };
  } catch (error) {
    await closeStores();
    throw error;
  }
}
