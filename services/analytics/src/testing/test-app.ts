import { randomBytes } from 'node:crypto';
import type { Role } from '@waypoint/contracts';
import type { EventStore } from '@waypoint/eventstore';
import { MemoryEventStore } from '@waypoint/eventstore/memory';
import { MemoryKeyStore } from '@waypoint/privacy';
import { testContext, testServiceApp } from '@waypoint/runtime/testing';
import type { ServiceApp } from '@waypoint/service-kit';
import { testAuth } from '@waypoint/service-kit/testing';
import type { JourneyFacts } from '../facts/domain/journey-facts.js';
import { memoryFactsSource } from '../facts/journey-facts-projection.js';
import { DEFAULT_SETTINGS } from '../indicators/domain/indicators.js';
import { DEFAULT_PRIVACY } from '../indicators/domain/privacy.js';
import { analyticsService } from '../service.js';

export const ORG = '0193c000-0000-7000-8000-0000000000b1';
export const NOW = new Date('2026-01-01T00:00:00.000Z');

export interface TestWorld {
  readonly app: ServiceApp;
  readonly store: EventStore;
  token(roles: readonly Role[], sub?: string): Promise<string>;
  close(): Promise<void>;
}

/** The analytics service over facts held in memory, with an in-memory store for its exports. */
export async function testWorld(facts: readonly JourneyFacts[]): Promise<TestWorld> {
  const store = new MemoryEventStore();
  const auth = await testAuth();
  const { app } = await testServiceApp(
    analyticsService({
      privacy: DEFAULT_PRIVACY,
      indicators: DEFAULT_SETTINGS,
      facts: memoryFactsSource(facts),
    }),
    {
      context: testContext({
        store,
        // Analytics holds no personal data: these keys are never asked.
        keys: new MemoryKeyStore({ masterKey: { id: 'test-1', key: randomBytes(32) } }),
        now: () => NOW,
      }),
      authenticator: auth.authenticator,
    },
  );
  return {
    app,
    store,
    token: (roles, sub = `user-${roles.join('-')}`) => auth.tokenFor({ roles, org: ORG, sub }),
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}
