import { randomBytes } from 'node:crypto';
import type { Role } from '@waypoint/contracts';
import type { EventStore } from '@waypoint/eventstore';
import { MemoryKeyStore } from '@waypoint/privacy';
import type { ProjectionEngine, SqlDatabase } from '@waypoint/projections';
import { testContext, testReadModels, testServiceApp } from '@waypoint/runtime/testing';
import type { ServiceApp } from '@waypoint/service-kit';
import { testAuth } from '@waypoint/service-kit/testing';
import { shelterService } from '../../service.js';

export interface ReadModelApp {
  readonly app: ServiceApp;
  readonly engine: ProjectionEngine;
  token(roles: readonly Role[], org: string): Promise<string>;
  /** Resolves once every event appended so far is in the read models. */
  caughtUp(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The shelter service with its read models, over a store another app writes to: the projection
 * engine runs over `store` into `db`, and the app's read-model routes read from there.
 */
export async function readModelApp(store: EventStore, db: SqlDatabase): Promise<ReadModelApp> {
  const auth = await testAuth();
  const service = shelterService;
  const engine = await testReadModels(service, { store, db });
  const keys = new MemoryKeyStore({ masterKey: { id: 'test-1', key: randomBytes(32) } });
  const { app } = await testServiceApp(service, {
    context: testContext({ store, keys, readModels: engine }),
    authenticator: auth.authenticator,
  });
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
