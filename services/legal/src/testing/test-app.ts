import { randomBytes } from 'node:crypto';
import { identificationFamily, type IdentificationEvent, type Role } from '@waypoint/contracts';
import type { EventStore } from '@waypoint/eventstore';
import { MemoryEventStore } from '@waypoint/eventstore/memory';
import { MemoryKeyStore } from '@waypoint/privacy';
import { capturedLogs, testContext, testServiceApp } from '@waypoint/runtime/testing';
import type { ServiceApp } from '@waypoint/service-kit';
import { testAuth } from '@waypoint/service-kit/testing';
import { v7 } from 'uuid';
import { legalService } from '../service.js';
import { streams } from '../streams.js';

export const ORGS = {
  outreach: '0193c000-0000-7000-8000-000000000001',
  legalAid: '0193c000-0000-7000-8000-000000000002',
  unrelated: '0193c000-0000-7000-8000-000000000003',
} as const;

export interface SeededJourney {
  readonly journeyId: string;
  readonly personId: string;
}

export interface TestWorld {
  readonly app: ServiceApp;
  readonly store: EventStore;
  readonly keys: MemoryKeyStore;
  /** Everything the app logged, for canary checks. */
  readonly logs: string[];
  token(roles: readonly Role[], org?: string, sub?: string): Promise<string>;
  /** A journey opened by `org` (the outreach organisation by default), seeded as identification records it. */
  openJourney(org?: string): Promise<SeededJourney>;
  /** Appends identification events to a journey, as the identification service would. */
  identification(journeyId: string, events: readonly IdentificationEvent[]): Promise<void>;
  /** A services consent of the person; its id. */
  consent(journeyId: string, options?: { validUntil?: string }): Promise<string>;
  close(): Promise<void>;
}

/** The legal service on in-memory stores; journeys are seeded in identification's streams. */
export async function testWorld(options: { store?: EventStore } = {}): Promise<TestWorld> {
  const store = options.store ?? new MemoryEventStore();
  const keys = new MemoryKeyStore({ masterKey: { id: 'test-1', key: randomBytes(32) } });
  const auth = await testAuth();
  const logs = capturedLogs();
  const { app } = await testServiceApp(legalService, {
    context: testContext({ store, keys }),
    authenticator: auth.authenticator,
    logger: logs.stream,
  });

  const identification = async (
    journeyId: string,
    events: readonly IdentificationEvent[],
  ): Promise<void> => {
    await store.append(
      streams.identification(journeyId),
      events.map((event) => ({
        id: v7(),
        ...identificationFamily.encode(event),
        metadata: {
          occurredAt: new Date().toISOString(),
          actor: { userId: 'seed', role: 'caseworker', orgId: ORGS.outreach },
          correlationId: 'seed',
          causationId: 'seed',
        },
      })),
    );
  };

  return {
    app,
    store,
    keys,
    logs: logs.lines,
    token: (roles, org = ORGS.outreach, sub = `user-${roles.join('-')}-${org.slice(-4)}`) =>
      auth.tokenFor({ roles, org, sub }),
    identification,
    openJourney: async (org = ORGS.outreach) => {
      const journeyId = v7();
      const personId = v7();
      await identification(journeyId, [
        {
          type: 'JourneyOpened',
          data: { journeyId, personId, jurisdiction: 'NL', openedByOrgId: org },
        },
      ]);
      return { journeyId, personId };
    },
    consent: async (journeyId, consentOptions = {}) => {
      const consentId = v7();
      await identification(journeyId, [
        {
          type: 'ConsentRecorded',
          data: {
            consentId,
            scope: 'services',
            givenBy: 'self',
            informedOf: ['purpose', 'how_to_withdraw'],
            sharingWithOrgIds: [],
            ...consentOptions,
          },
        },
      ]);
      return consentId;
    },
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}
