import {
  KafkaBus,
  Relay,
  serviceRoutes,
  type Bus,
  type BusLogger,
  type EventConsumer,
} from '@waypoint/bus';
import { newEventId, type EventStore, type LiveView } from '@waypoint/eventstore';
import {
  journeyFactsView,
  knownOrganisationsView,
  type OpenJourney,
} from '@waypoint/journey-facts';
import { CachingKeyStore, FieldCipher, PostgresKeyStore, parseMasterKey } from '@waypoint/privacy';
import { createPostgresDatabase, ProjectionEngine } from '@waypoint/projections';
import pg from 'pg';
import type { DestinationStream } from 'pino';
import {
  authenticatorFromConfig,
  scopedToOrganisations,
  metricsCredentialFromConfig,
  createServiceApp,
  PostgresIdempotencyStore,
  operationNewId,
  resumableStore,
  runChecks,
  type ReadinessCheck,
  type ServiceApp,
} from '@waypoint/service-kit';
import { feedProjectionsFromBus, type BusFedProjections } from './bus-projections.js';
import type { DistributedConfig } from './config.js';
import { openEventStore } from './event-store.js';
import { journeyFactsFromBus, type JourneyFactsFromBus } from './journey-facts-from-bus.js';
import { BusActivity } from './bus-activity.js';
import { registerDistributedMetrics } from './metrics.js';
import { openRelayHome } from './relay-home.js';
import { secretOf, withEsdbPasswordFrom, withPasswordFrom } from './secrets.js';
import type { ServiceContext, ServiceDefinition } from './service-definition.js';
import { INTEGRATION_SERVICES, SERVICE_CATEGORIES, type ServiceName } from './topics.js';

/** Where the service's log lines go instead of stdout (tests capture or silence them). */
export type LogDestination = DestinationStream;

export interface DistributedService<Registered = unknown> {
  readonly app: ServiceApp;
  readonly store: EventStore;
  /** The relay to the service's topic, when Kafka is on. */
  readonly relay: Relay | undefined;
  /** The journey facts fed from Kafka, when the service reads them from there. */
  readonly journeyFacts: JourneyFactsFromBus | undefined;
  readonly readModels: ProjectionEngine | undefined;
  /** The consumers feeding the read models, when they are fed from Kafka. */
  readonly projectionConsumers: BusFedProjections | undefined;
  /** What the service's `register` returned. */
  readonly registered: Registered;
  /** Closes the app; its onClose hook stops the consumers and the relay and closes every store. */
  close(): Promise<void>;
}

/** Resources in the order they were opened; closed in reverse, also when a start fails half way. */
class Closers {
  private readonly list: (() => Promise<void>)[] = [];

  add<T>(resource: T, close: (resource: T) => Promise<void>): T {
    this.list.push(() => close(resource));
    return resource;
  }

  async closeAll(): Promise<void> {
    for (const close of this.list.splice(0).reverse()) await close().catch(() => undefined);
  }
}

/**
 * The pools' sizes for DATABASE_POOL_SIZE. The read models' and projections' pool runs
 * transactions that query again from inside, so it needs two connections at least; the
 * read-model pool (Idempotency-Key records, consumer groups) and the key store's run one
 * statement or one transaction on one connection at a time, so one is enough.
 */
function poolSizes(poolSize: number): { smallPool: number; singleQueryPool: number } {
  return { smallPool: Math.min(5, poolSize), singleQueryPool: Math.min(5, poolSize - 1) };
}

/**
 * The most PostgreSQL connections one process of a service holds, for DATABASE_POOL_SIZE: the
 * event store's pool and its LISTEN connection, the read-model pool, the key store's pool, the
 * relay's lock (its checkpoint goes over the same connection), the projections' pool and one lock
 * per store-fed projection, and the metrics probe of the event store's cluster.
 */
export function processConnections(
  poolSize: number,
  service: {
    readonly kafka: boolean;
    readonly projections?: 'own-store' | 'services';
    readonly ownStoreProjections?: number;
  },
): number {
  const { smallPool, singleQueryPool } = poolSizes(poolSize);
  const eventStore = poolSize + 1;
  const relay = service.kafka ? 1 : 0;
  const projections =
    service.projections === undefined
      ? 0
      : smallPool +
        (service.projections === 'own-store' || !service.kafka
          ? (service.ownStoreProjections ?? 1)
          : 0);
  const metricsProbe = 1;
  return eventStore + singleQueryPool + singleQueryPool + relay + projections + metricsProbe;
}

/** Resolves when every consumer can serve; rejects with why one cannot (failing, or not in its group yet). */
function consumersServe(consumers: readonly EventConsumer[]): Promise<void> {
  for (const consumer of consumers) {
    const status = consumer.status();
    if (!status.joined)
      return Promise.reject(
        new Error(
          `not in its consumer group ${status.lastError === null ? 'yet' : `(${status.lastError})`}`,
        ),
      );
    if (!status.healthy)
      return Promise.reject(new Error(`failing: ${status.lastError ?? 'a batch failed'}`));
  }
  return Promise.resolve();
}

function kafkaBus(
  config: DistributedConfig,
  service: ServiceName,
  logger: BusLogger,
): Bus | undefined {
  if (config.KAFKA_BROKERS === undefined) return undefined;
  return new KafkaBus({
    brokers: config.KAFKA_BROKERS,
    clientId: service,
    idempotent: config.KAFKA_IDEMPOTENT_PRODUCER,
    logger,
    sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    heartbeatIntervalMs: Math.min(3_000, Math.floor(config.KAFKA_SESSION_TIMEOUT_MS / 10)),
    rebalanceTimeoutMs: config.KAFKA_REBALANCE_TIMEOUT_MS,
  });
}

/**
 * One service of the distributed mode, wired from its configuration: its event store (PostgreSQL or
 * KurrentDB), the shared key store, Idempotency-Key records and the relay checkpoint in its
 * PostgreSQL database, the relay to its topic and the consumers of the others' when Kafka is on,
 * and its read models. Returns the app, which never listens here (main.ts does).
 */
const RELAY_GATHER_MS = 50;

export async function startDistributedService<Deps, Registered>(
  definition: ServiceDefinition<Deps, Registered>,
  config: DistributedConfig,
  logDestination?: LogDestination,
  /** What the host adds once the service's routes are in (a participant's erasure duty). */
  alongside?: (app: ServiceApp, context: ServiceContext) => void,
): Promise<DistributedService<Registered>> {
  const closers = new Closers();
  let app: ServiceApp | undefined;
  try {
    const masterKey = parseMasterKey(
      await secretOf(config.MASTER_KEY, config.MASTER_KEY_FILE, 'MASTER_KEY'),
    );
    const databaseUrl = await withPasswordFrom(
      config.READ_MODEL_DATABASE_URL,
      config.READ_MODEL_DATABASE_PASSWORD_FILE,
    );
    const keyStoreUrl =
      config.KEY_STORE_DATABASE_URL === undefined
        ? databaseUrl
        : await withPasswordFrom(
            config.KEY_STORE_DATABASE_URL,
            config.KEY_STORE_DATABASE_PASSWORD_FILE,
          );
    const eventStoreUrl = config.EVENT_STORE_URL.startsWith('esdb')
      ? await withEsdbPasswordFrom(config.EVENT_STORE_URL, config.EVENT_STORE_PASSWORD_FILE)
      : await withPasswordFrom(config.EVENT_STORE_URL, config.EVENT_STORE_PASSWORD_FILE);
    const factsSource =
      config.JOURNEY_FACTS_SOURCE ?? (config.KAFKA_BROKERS === undefined ? 'store' : 'kafka');
    if (definition.journeyFacts === true && factsSource === 'kafka' && !config.KAFKA_BROKERS)
      throw new Error('JOURNEY_FACTS_SOURCE=kafka needs KAFKA_BROKERS');

    // Every pool is bounded by DATABASE_POOL_SIZE: `processConnections` counts them.
    const poolSize = config.DATABASE_POOL_SIZE;
    const { smallPool, singleQueryPool } = poolSizes(poolSize);
    const store = closers.add(await openEventStore(eventStoreUrl, { poolSize }), (s) => s.close());
    const pool = closers.add(
      new pg.Pool({
        connectionString: databaseUrl,
        max: singleQueryPool,
        application_name: definition.name,
      }),
      (p) => p.end(),
    );
    // A connection the server ends surfaces on the next query instead.
    pool.on('error', () => undefined);
    const keys = await PostgresKeyStore.open({
      connectionString: keyStoreUrl,
      masterKey,
      poolSize: singleQueryPool,
    });
    const keyStore = closers.add(new CachingKeyStore(keys), (k) => k.close());
    const idempotencyStore = await PostgresIdempotencyStore.open(pool);
    const metricsCredential = metricsCredentialFromConfig(config);

    // Until the bus and its consumers are wired, only the stores are asked.
    let readinessChecks = (): Record<string, ReadinessCheck> => ({
      store: async () => {
        await store.streamRevision('health-probe');
      },
    });
    const state: {
      relay?: Relay;
      facts?: JourneyFactsFromBus;
      consumers?: BusFedProjections;
    } = {};
    // The organisation directory, wired below (from the store or Kafka): until then no token passes.
    let organisations: LiveView<Set<string>> | undefined;
    app = await createServiceApp({
      name: definition.name,
      version: '0.1.0',
      logger: logDestination ?? { level: config.LOG_LEVEL },
      authenticator: scopedToOrganisations(authenticatorFromConfig(config), {
        dpoOrgIds: new Set(config.DPO_ORG_IDS),
        isKnown: async (orgId) =>
          organisations !== undefined && (await organisations.current()).has(orgId),
      }),
      bodyLimit: config.BODY_LIMIT_BYTES,
      rateLimit: { max: config.RATE_LIMIT_PER_MINUTE, timeWindow: 60_000 },
      idempotencyStore,
      ...(metricsCredential === undefined ? {} : { metricsCredential }),
      ...(definition.redactPaths === undefined ? {} : { redactPaths: definition.redactPaths }),
      readiness: () => runChecks(readinessChecks()),
    });
    const log = app.log;

    // Every publish and delivered batch is recorded for the metrics (registered below).
    const busActivity = new BusActivity();
    const bus = busActivity.meter(kafkaBus(config, definition.name, log));
    /** What /ready asks, each bounded by a short timeout: the answer names what is down. */
    readinessChecks = (): Record<string, ReadinessCheck> => {
      const checks: Record<string, ReadinessCheck> = {
        store: async () => {
          await store.streamRevision('health-probe');
        },
        // Straight to the database, past the cache: a cached key says nothing about the store.
        keyStore: async () => {
          await keys.destructions(Number.MAX_SAFE_INTEGER);
        },
      };
      if (bus?.probe) checks.broker = () => bus.probe?.() ?? Promise.resolve();
      const relay = state.relay;
      if (relay)
        checks.relay = () => {
          const status = relay.status();
          if (status.healthy) return Promise.resolve();
          return Promise.reject(new Error(status.lastError?.message ?? 'failing'));
        };
      const facts = state.facts;
      if (facts) checks.journeyFacts = () => consumersServe([facts.consumer]);
      const consumers = state.consumers;
      if (consumers) checks.readModels = () => consumersServe(consumers.consumers);
      return checks;
    };
    if (bus) closers.add(bus, (b) => b.close());
    if (bus) {
      // One relay per service at a time, whatever runs: the lock and the checkpoint live beside
      // the events the relay reads (the event store's database; the key store's under KurrentDB),
      // not in the read-model database, which a rebuild beside a live service replaces.
      const home = closers.add(
        await openRelayHome({
          service: definition.name,
          url: eventStoreUrl.startsWith('esdb') ? keyStoreUrl : eventStoreUrl,
          formerCheckpoints: pool,
        }),
        (h) => h.close(),
      );
      const checkpoints = home.checkpoints;
      state.relay = closers.add(
        Relay.start({
          acquire: () => home.tryLock(),
          // Events gather for 50 ms before they are published: consumers then get batches of many
          // events per partition instead of one or two, each costing a read-model transaction
          // (pnpm bench kafka: p99 from seconds to under 200 ms at 1,000 events/s).
          gatherMs: RELAY_GATHER_MS,
          name: definition.name,
          store,
          bus,
          checkpoints,
          categories: SERVICE_CATEGORIES[definition.name],
          routes: serviceRoutes(definition.name, {
            integration: INTEGRATION_SERVICES.includes(definition.name),
          }),
          logger: log,
        }),
        (r) => r.stop(),
      );
    }

    // Every service refuses tokens of organisations the directory does not hold: identification
    // keeps the directory in its store; the others read it where they read the journey facts.
    let journeys: LiveView<Map<string, OpenJourney>> | undefined;
    const wantsJourneys = definition.journeyFacts === true;
    if (definition.name === 'identification' || factsSource === 'store' || !bus) {
      if (wantsJourneys) journeys = journeyFactsView(store);
      organisations = closers.add(knownOrganisationsView(store), (view) => view.stop());
    } else {
      state.facts = closers.add(
        await journeyFactsFromBus(bus, {
          groupId: `${definition.name}-journey-facts-${newEventId()}`,
          logger: log,
          journeys: wantsJourneys,
        }),
        (f) => f.stop(),
      );
      if (wantsJourneys) journeys = state.facts.view;
      organisations = state.facts.organisations;
    }

    let engine: ProjectionEngine | undefined;
    if (definition.projections) {
      const { list, source } = definition.projections;
      const fromBus = source === 'services' && bus !== undefined;
      const db = closers.add(createPostgresDatabase(databaseUrl, smallPool), (d) => d.close());
      engine = closers.add(
        await new ProjectionEngine({
          store,
          db,
          projections: list,
          feed: fromBus ? 'bus' : 'store',
          log,
        }).start(),
        (e) => e.stop(),
      );
      if (fromBus)
        state.consumers = closers.add(
          await feedProjectionsFromBus({
            service: definition.name,
            bus,
            engine,
            projections: list,
            logger: log,
          }),
          (c) => c.stop(),
        );
    }

    closers.add(
      registerDistributedMetrics(app.metrics.registry, {
        service: definition.name,
        store,
        categories: SERVICE_CATEGORIES[definition.name],
        activity: busActivity,
        relay: state.relay,
        engine,
        projections: definition.projections?.list.map((projection) => projection.name) ?? [],
        feed: state.consumers ? 'bus' : 'store',
        readModels: pool,
        eventStoreUrl,
      }),
      (metrics) => metrics.close(),
    );

    // Routes decide on a store and ids that follow an Idempotency-Key request run again after its
    // first run died between its append and its answer (service-kit's `idempotent`).
    const context: ServiceContext = {
      store: resumableStore(store),
      keyStore,
      cipher: new FieldCipher(keyStore),
      journeys: () => {
        if (!journeys) throw new Error(`${definition.name} did not declare journeyFacts`);
        return journeys;
      },
      readModels: engine,
      now: () => new Date(),
      newId: operationNewId(newEventId),
    };
    await definition.prepare?.(context, log);
    const registered = await definition.register(app, definition.deps(context));
    alongside?.(app, context);
    // The app is closed by whoever closes it (a signal, a test): then everything else is.
    let closing: Promise<void> | undefined;
    app.addHook('onClose', async () => {
      closing ??= closers.closeAll();
      await closing;
    });
    await app.ready();
    const served = app;
    return {
      app: served,
      store,
      relay: state.relay,
      journeyFacts: state.facts,
      readModels: engine,
      projectionConsumers: state.consumers,
      registered,
      close: () => served.close(),
    };
  } catch (error) {
    await closers.closeAll();
    await app?.close();
    throw error;
  }
}
