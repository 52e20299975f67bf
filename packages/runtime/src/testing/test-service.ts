import { Writable } from 'node:stream';
import { newEventId, type EventStore, type LiveView } from '@waypoint/eventstore';
import { journeyFactsView, type OpenJourney } from '@waypoint/journey-facts';
import { CachingKeyStore, FieldCipher, type KeyStore } from '@waypoint/privacy';
import { ProjectionEngine, type SqlDatabase } from '@waypoint/projections';
import { createServiceApp, type Authenticator, type ServiceApp } from '@waypoint/service-kit';
import type { ServiceContext, ServiceDefinition } from '../service-definition.js';

/**
 * The context of a spec's world: its own store and keys, the real clock unless it moves its own,
 * plain UUIDv7 ids, and the read models only when the spec runs an engine.
 */
export function testContext(options: {
  readonly store: EventStore;
  readonly keys: KeyStore;
  readonly readModels?: ProjectionEngine;
  readonly now?: () => Date;
}): ServiceContext {
  const { store, keys } = options;
  let journeys: LiveView<Map<string, OpenJourney>> | undefined;
  return {
    store,
    keyStore: new CachingKeyStore(keys),
    // Straight on the keys the spec holds: a key it destroys is gone at once, with no cache.
    cipher: new FieldCipher(keys),
    journeys: () => (journeys ??= journeyFactsView(store)),
    readModels: options.readModels,
    now: options.now ?? (() => new Date()),
    newId: newEventId,
  };
}

/**
 * The service's read models over a spec's store and database, polling every 20 ms so that a spec
 * waiting for them to catch up waits little. Started; the spec stops it.
 */
export function testReadModels(
  definition: ServiceDefinition<unknown, unknown>,
  options: {
    readonly store: EventStore;
    readonly db: SqlDatabase;
    readonly superviseIntervalMs?: number;
  },
): Promise<ProjectionEngine> {
  if (!definition.projections) throw new Error(`${definition.name} declares no read models`);
  return new ProjectionEngine({
    store: options.store,
    db: options.db,
    projections: definition.projections.list,
    pollIntervalMs: 20,
    ...(options.superviseIntervalMs === undefined
      ? {}
      : { superviseIntervalMs: options.superviseIntervalMs }),
  }).start();
}

/** Every line an app logged, for canary checks, and the stream that collects them. */
export function capturedLogs(): { readonly stream: Writable; readonly lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, lines };
}

/**
 * A service built from its definition as the hosts that serve build it, on an app a spec calls
 * with `inject`: no rate limit, always ready, silent unless given where to log. Ready on return.
 */
export async function testServiceApp<Deps, Registered>(
  definition: ServiceDefinition<Deps, Registered>,
  options: {
    readonly context: ServiceContext;
    readonly authenticator: Authenticator;
    readonly logger?: Writable;
    readonly metricsCredential?: string;
    /** Routes of other services the spec stands in for, added before the app is ready. */
    readonly alongside?: ((app: ServiceApp) => void) | undefined;
  },
): Promise<{ readonly app: ServiceApp; readonly registered: Registered }> {
  const { context } = options;
  const app = await createServiceApp({
    name: definition.name,
    version: 'test',
    logger: options.logger ?? { level: 'silent' },
    authenticator: options.authenticator,
    rateLimit: false,
    readiness: () => Promise.resolve(true),
    ...(definition.redactPaths === undefined ? {} : { redactPaths: definition.redactPaths }),
    ...(options.metricsCredential === undefined
      ? {}
      : { metricsCredential: options.metricsCredential }),
  });
  await definition.prepare?.(context, app.log);
  const registered = await definition.register(app, definition.deps(context));
  options.alongside?.(app);
  await app.ready();
  return { app, registered };
}
