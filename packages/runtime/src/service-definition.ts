import type { EventStore, LiveView } from '@waypoint/eventstore';
import type { OpenJourney } from '@waypoint/journey-facts';
import type { EvictableKeyCache, FieldCipher, KeyStore } from '@waypoint/privacy';
import type { Projection, ProjectionEngine } from '@waypoint/projections';
import type { ServiceApp } from '@waypoint/service-kit';
import type { ServiceName } from './topics.js';

// Types only (and one small check): a service's definition imports this module, and the embedded
// process loads every definition, so nothing of the distributed runtime (Kafka, pg) comes along.

/**
 * What every host hands a service to build its dependencies from: the distributed runtime, the
 * embedded process and a spec's test world each supply their own stores, keys and clock here.
 */
export interface ServiceContext {
  /** The store the routes decide on (the hosts that serve wrap it in `resumableStore`). */
  readonly store: EventStore;
  /** The process's one key store: erasures destroy keys through it and purge its cache. */
  readonly keyStore: KeyStore & EvictableKeyCache;
  readonly cipher: FieldCipher;
  /** Every journey's identification facts; asked only by a service that declared `journeyFacts`. */
  journeys(): LiveView<Map<string, OpenJourney>>;
  /** The engine running the read models, when the host runs them (a spec's world may not). */
  readonly readModels?: ProjectionEngine | undefined;
  readonly now: () => Date;
  readonly newId: () => string;
}

/** Where a service's log lines go: the app's logger. */
export interface ServiceLog {
  warn(details: object, message: string): void;
}

/**
 * One service, as every host builds it: what it is (name, redacted paths, what it reads), how its
 * dependencies come from a host's context, and how its routes are registered on an app. A service
 * with settings (thresholds, intervals, secrets) exports a function of them returning this.
 */
export interface ServiceDefinition<
  Deps,
  Registered = void,
  Name extends ServiceName = ServiceName,
> {
  readonly name: Name;
  /** The service's own personal-data paths in request bodies: never logged. */
  readonly redactPaths?: readonly string[];
  /** The service decides on the identification facts (consents, who sees a journey). */
  readonly journeyFacts?: boolean;
  /**
   * The service's read models. `own-store`: built from the service's own events, in its store (a
   * write service). `services`: built from every service's events, so from Kafka when it is on and
   * from the (shared) store otherwise (a read service).
   */
  readonly projections?: {
    readonly list: readonly Projection[];
    readonly source: 'own-store' | 'services';
  };
  /** Run once per process before anything is served, after the stores opened. */
  prepare?(context: ServiceContext, log: ServiceLog): Promise<void>;
  deps(context: ServiceContext): Deps;
  /** Registers the routes (and timers) on an app that never listens here. */
  register(app: ServiceApp, deps: Deps): Promise<Registered>;
}

/** The read models of a service that cannot serve without them. */
export function readModelsOf(context: ServiceContext, service: ServiceName): ProjectionEngine {
  if (!context.readModels) throw new Error(`${service} needs its read models`);
  return context.readModels;
}
