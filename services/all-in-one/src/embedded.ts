import { join } from 'node:path';
import type { EventStore } from '@waypoint/eventstore';
import { SqliteEventStore } from '@waypoint/eventstore/sqlite';
import { CARE_REDACT_PATHS, registerCare } from '@waypoint/care-service';
import { journeyFactsView } from '@waypoint/journey-facts';
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
import { createAuthenticator, createServiceApp } from '@waypoint/service-kit';
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
import { openReadModels, startProjections } from './read-models.js';
import { DEMO_AUDIENCE, DEMO_ISSUER } from './demo.js';
import { loadOrCreateSecrets, type InstallSecrets } from './install-secrets.js';
import { SqliteIdempotencyStore } from './sqlite-idempotency-store.js';
import { seedDemo } from './seed.js';

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
): Promise<FastifyInstance> {
  const app = await createServiceApp({
    name: 'waypoint',
    version: '0.1.0',
    logger: logDestination ?? { level: config.LOG_LEVEL },
    authenticator: createAuthenticator(
      { publicJwk: secrets.signingKey.publicJwk },
      {
        issuer: DEMO_ISSUER,
        audience: DEMO_AUDIENCE,
        maxLifetimeSeconds: config.TOKEN_MAX_LIFETIME_SECONDS,
      },
    ),
    bodyLimit: config.BODY_LIMIT_BYTES,
    rateLimit: rateLimited ? { max: config.RATE_LIMIT_PER_MINUTE, timeWindow: 60_000 } : false,
    readiness: async () => (await store.streamRevision('health-probe')) === null,
    idempotencyStore: idempotency,
    redactPaths: [
      ...IDENTIFICATION_REDACT_PATHS,
      ...CARE_REDACT_PATHS,
      ...SHELTER_REDACT_PATHS,
      ...LEGAL_REDACT_PATHS,
      ...REINTEGRATION_REDACT_PATHS,
    ],
  });
  const cipher = new FieldCipher(keyStore);
  // One copy of every journey's identification facts, shared by the services that need them.
  const journeys = journeyFactsView(store);
  await registerIdentification(app, {
    store,
    cipher,
    blindIndex: BlindIndex.fromConfig(secrets.blindIndexKey),
    directory: organisationDirectory(store),
    persons: personIndex(store),
    now: () => new Date(),
    newId: v7,
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
    store,
    cipher,
    journeys,
    now: () => new Date(),
    newId: v7,
    readModels: projections,
  });
  await registerLegal(app, {
    store,
    cipher,
    journeys,
    now: () => new Date(),
    newId: v7,
    readModels: projections,
  });
  await registerReintegration(app, {
    store,
    cipher,
    journeys,
    config: { returnRiskAssessmentMaxAgeDays: config.RETURN_RISK_ASSESSMENT_MAX_AGE_DAYS },
    now: () => new Date(),
    newId: v7,
    readModels: projections,
  });
  await registerShelter(app, {
    store,
    cipher,
    journeys,
    shelters: shelterRegistryView(store),
    occupancy: occupancyView(store),
    now: () => new Date(),
    newId: v7,
    readModels: projections,
  });
  await registerJourney(app, {
    store,
    cipher,
    readModel: new JourneyReadModel(projections.db, () => projections.schemaOf(JOURNEY_PROJECTION)),
    policy: DEFAULT_DUE_POLICY,
    now: () => new Date(),
    newId: v7,
  });
  await registerAnalytics(app, {
    facts: sqlFactsSource(projections.db, () => projections.schemaOf('analytics_journey_facts')),
    store,
    privacy: privacyRulesOf(config),
    settings: indicatorSettingsOf(config),
    now: () => new Date(),
    newId: v7,
  });
  await registerAudit(app, {
    store,
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
    now: () => new Date(),
    newId: v7,
  });
  await app.register(projectionRoutes(projections));
  registerProjectionMetrics(app.metrics.registry, projections);
  return app;
}

/**
 * Every service in one process, on one data folder: events in SQLite (durable, locked against a
 * second process), data keys in their own SQLite file, tokens signed by the install's own key.
 * The demo data goes in first, through the same API on an app of its own that is never rate
 * limited and never listens.
 */
export async function startEmbedded(
  config: AllInOneConfig,
  logDestination?: DestinationStream,
): Promise<Embedded & { seeded: { organisations: number; journeys: number } }> {
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
  const projections = await startProjections(
    store,
    readModels.db,
    profilesOf(config),
    projectionLog,
  );
  const stores: Stores = {
    store,
    projections,
    keyStore: new CachingKeyStore(
      new SqliteKeyStore({
        file: join(config.DATA_DIR, 'keys.sqlite'),
        masterKey: parseMasterKey(secrets.masterKey),
      }),
    ),
    idempotency: new SqliteIdempotencyStore(join(config.DATA_DIR, 'idempotency.sqlite')),
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
    const seeding = await buildApp(config, stores, false, logDestination);
    await seeding.ready();
    const seeded = await seedDemo(
      seeding,
      stores.store,
      secrets.signingKey.privateJwk,
      config.DEMO_JOURNEYS,
    );
    await seeding.close();
    // Serve once the read models hold everything recorded so far (a rebuild takes a moment).
    await projections.whenCaughtUp();
    const app = await buildApp(config, stores, true, logDestination);
    app.addHook('onClose', closeStores);
    await app.ready();
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
