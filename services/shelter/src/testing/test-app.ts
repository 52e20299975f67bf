import { randomBytes } from 'node:crypto';
import { identificationFamily, type IdentificationEvent, type Role } from '@waypoint/contracts';
import type { EventStore } from '@waypoint/eventstore';
import { MemoryEventStore } from '@waypoint/eventstore/memory';
import { MemoryKeyStore } from '@waypoint/privacy';
import { capturedLogs, testContext, testServiceApp } from '@waypoint/runtime/testing';
import type { ServiceApp } from '@waypoint/service-kit';
import { testAuth } from '@waypoint/service-kit/testing';
import { v7 } from 'uuid';
import { shelterService } from '../service.js';

export const ORGS = {
  outreach: '0193b000-0000-7000-8000-000000000001',
  shelter: '0193b000-0000-7000-8000-000000000002',
  unrelated: '0193b000-0000-7000-8000-000000000003',
} as const;

export interface SeedOptions {
  /** Reasons to believe the person is a child were recorded. */
  readonly child?: boolean;
  /** A valid services consent was recorded (default true). */
  readonly servicesConsent?: boolean;
  /** Referred to this organisation on a sharing consent, and accepted. */
  readonly referredTo?: string;
}

export interface TestWorld {
  readonly app: ServiceApp;
  readonly store: EventStore;
  readonly keys: MemoryKeyStore;
  /** Everything the app logged, for canary checks. */
  readonly logs: string[];
  token(roles: readonly Role[], org?: string, sub?: string): Promise<string>;
  /** A journey opened by the outreach organisation, as the identification service records it. */
  seedJourney(options?: SeedOptions): Promise<{ journeyId: string; personId: string }>;
  close(): Promise<void>;
}

/** The shelter service on in-memory stores; journeys are seeded as identification events. */
export async function testWorld(options: { store?: EventStore } = {}): Promise<TestWorld> {
  const store = options.store ?? new MemoryEventStore();
  const keys = new MemoryKeyStore({ masterKey: { id: 'test-1', key: randomBytes(32) } });
  const auth = await testAuth();
  const logs = capturedLogs();
  const { app } = await testServiceApp(shelterService, {
    context: testContext({ store, keys }),
    authenticator: auth.authenticator,
    logger: logs.stream,
  });

  const seedJourney = async (
    seed: SeedOptions = {},
  ): Promise<{ journeyId: string; personId: string }> => {
    const journeyId = v7();
    const personId = v7();
    const events: IdentificationEvent[] = [
      {
        type: 'JourneyOpened',
        data: { journeyId, personId, jurisdiction: 'NL', openedByOrgId: ORGS.outreach },
      },
    ];
    if (seed.child)
      events.push({
        type: 'AgeUncertaintyRecorded',
        data: { reasonsToBelieveChild: ['appearance'] },
      });
    if (seed.servicesConsent ?? true)
      events.push({
        type: 'ConsentRecorded',
        data: {
          consentId: v7(),
          scope: 'services',
          givenBy: seed.child ? 'guardian' : 'self',
          informedOf: ['purpose', 'how_to_withdraw'],
          sharingWithOrgIds: [],
        },
      });
    if (seed.referredTo !== undefined) {
      const consentId = v7();
      const referralId = v7();
      events.push(
        {
          type: 'ConsentRecorded',
          data: {
            consentId,
            scope: 'sharing',
            givenBy: 'self',
            informedOf: ['purpose'],
            sharingWithOrgIds: [seed.referredTo],
          },
        },
        {
          type: 'ReferralMade',
          data: {
            referralId,
            toOrgId: seed.referredTo,
            reason: 'AdditionalServicesRequired',
            services: ['SocialCare'],
            consentId,
          },
        },
        { type: 'ReferralAccepted', data: { referralId, byOrgId: seed.referredTo } },
      );
    }
    await store.append(
      `identification-${journeyId}`,
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
    return { journeyId, personId };
  };

  return {
    app,
    store,
    keys,
    logs: logs.lines,
    token: (roles, org = ORGS.outreach, sub = `user-${roles.join('-')}-${org.slice(-4)}`) =>
      auth.tokenFor({ roles, org, sub }),
    seedJourney,
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}
