import { randomBytes } from 'node:crypto';
import type { Role } from '@waypoint/contracts';
import type { EventStore } from '@waypoint/eventstore';
import { journeyFactsView } from '@waypoint/journey-facts';
import { FieldCipher, MemoryKeyStore } from '@waypoint/privacy';
import { ProjectionEngine, type SqlDatabase } from '@waypoint/projections';
import { createServiceApp, type ServiceApp } from '@waypoint/service-kit';
import { testAuth } from '@waypoint/service-kit/testing';
import { v7 } from 'uuid';
import { registerReintegration, REINTEGRATION_REDACT_PATHS } from '../../app.js';
import { reintegrationReviewsProjection } from '../reviews/reviews-projection.js';

export interface ReadModelApp {
  readonly app: ServiceApp;
  readonly engine: ProjectionEngine;
  token(roles: readonly Role[], org: string): Promise<string>;
  /** Resolves once every event appended so far is in the read models. */
  caughtUp(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The reintegration service with its read models, over a store another app writes to: the projection
 * engine runs over `store` into `db`, and the app's read-model routes read from there.
 */
export async function readModelApp(
  store: EventStore,
  db: SqlDatabase,
  now: () => Date = () => new Date(),
): Promise<ReadModelApp> {
  const auth = await testAuth();
  const engine = await new ProjectionEngine({
    store,
    db,
    projections: [reintegrationReviewsProjection()],
    pollIntervalMs: 20,
  }).start();
  const app = await createServiceApp({
    name: 'reintegration',
    version: 'test',
    logger: { level: 'silent' },
    authenticator: auth.authenticator,
    rateLimit: false,
    readiness: () => Promise.resolve(true),
    redactPaths: REINTEGRATION_REDACT_PATHS,
  });
  await registerReintegration(app, {
    store,
    cipher: new FieldCipher(
      new MemoryKeyStore({ masterKey: { id: 'test-1', key: randomBytes(32) } }),
    ),
    journeys: journeyFactsView(store),
    now,
    newId: v7,
    config: { returnRiskAssessmentMaxAgeDays: 30 },
    readModels: engine,
  });
  await app.ready();
  return {
    app,
    engine,
    token: (roles, org) => auth.tokenFor({ roles, org, sub: `reader-${roles.join('-')}` }),
    caughtUp: () => engine.whenCaughtUp(),
    close: async () => {
      await app.close();
      await engine.stop();
    },
  };
}
