import type { Role } from '@waypoint/contracts';
import type { EventStore } from '@waypoint/eventstore';
import { MemoryEventStore } from '@waypoint/eventstore/memory';
import { createServiceApp, type ServiceApp } from '@waypoint/service-kit';
import { testAuth } from '@waypoint/service-kit/testing';
import { v7 } from 'uuid';
import { registerAnalytics } from '../app.js';
import type { JourneyFacts } from '../facts/domain/journey-facts.js';
import { memoryFactsSource } from '../facts/journey-facts-projection.js';
import { DEFAULT_SETTINGS } from '../indicators/domain/indicators.js';
import { DEFAULT_PRIVACY } from '../indicators/domain/privacy.js';

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
  const app = await createServiceApp({
    name: 'analytics',
    version: 'test',
    logger: { level: 'silent' },
    authenticator: auth.authenticator,
    rateLimit: false,
    readiness: () => Promise.resolve(true),
  });
  await registerAnalytics(app, {
    facts: memoryFactsSource(facts),
    store,
    privacy: DEFAULT_PRIVACY,
    settings: DEFAULT_SETTINGS,
    now: () => NOW,
    newId: v7,
  });
  await app.ready();
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
