import { randomBytes } from 'node:crypto';
import { identificationFamily, type IdentificationEvent, type Role } from '@waypoint/contracts';
import type { EventStore } from '@waypoint/eventstore';
import { MemoryEventStore } from '@waypoint/eventstore/memory';
import { MemoryKeyStore } from '@waypoint/privacy';
import { capturedLogs, testContext, testServiceApp } from '@waypoint/runtime/testing';
import type { ServiceApp } from '@waypoint/service-kit';
import { testAuth } from '@waypoint/service-kit/testing';
import { v7 } from 'uuid';
import { careService } from '../service.js';

export const ORGS = {
  outreach: '0193c000-0000-7000-8000-000000000001',
  clinic: '0193c000-0000-7000-8000-000000000002',
  unrelated: '0193c000-0000-7000-8000-000000000003',
} as const;

export interface SeededJourney {
  readonly journeyId: string;
  readonly personId: string;
  /** The services consent recorded, when one was. */
  readonly servicesConsentId: string | undefined;
}

export interface TestWorld {
  readonly app: ServiceApp;
  readonly store: EventStore;
  readonly keys: MemoryKeyStore;
  /** Everything the app logged, for canary checks. */
  readonly logs: string[];
  token(roles: readonly Role[], org?: string, sub?: string): Promise<string>;
  /**
   * A journey opened by the outreach organisation, as identification would have recorded it:
   * with a services consent unless told otherwise, and referred to the clinic (accepted) if asked.
   */
  journey(options?: { servicesConsent?: boolean; referToClinic?: boolean }): Promise<SeededJourney>;
  /** Appends identification events to a journey, as the identification service would. */
  identification(journeyId: string, events: readonly IdentificationEvent[]): Promise<void>;
  close(): Promise<void>;
}

/** The care service on in-memory stores; journeys are seeded as identification events. */
export async function testWorld(
  options: {
    store?: EventStore;
    /** Routes of other services a spec stands in for (the demo reads identification's). */
    alongside?: (app: ServiceApp) => void;
  } = {},
): Promise<TestWorld> {
  const store = options.store ?? new MemoryEventStore();
  const keys = new MemoryKeyStore({ masterKey: { id: 'test-1', key: randomBytes(32) } });
  const auth = await testAuth();
  const logs = capturedLogs();
  const { app } = await testServiceApp(careService, {
    context: testContext({ store, keys }),
    authenticator: auth.authenticator,
    logger: logs.stream,
    alongside: options.alongside,
  });

  const identification = async (
    journeyId: string,
    events: readonly IdentificationEvent[],
  ): Promise<void> => {
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
  };

  const journey: TestWorld['journey'] = async ({
    servicesConsent = true,
    referToClinic = false,
  } = {}) => {
    const journeyId = v7();
    const personId = v7();
    const servicesConsentId = servicesConsent ? v7() : undefined;
    const sharingConsentId = v7();
    const referralId = v7();
    await identification(journeyId, [
      {
        type: 'JourneyOpened',
        data: { journeyId, personId, jurisdiction: 'NL', openedByOrgId: ORGS.outreach },
      },
      ...(servicesConsentId === undefined
        ? []
        : [
            {
              type: 'ConsentRecorded' as const,
              data: {
                consentId: servicesConsentId,
                scope: 'services' as const,
                givenBy: 'self' as const,
                informedOf: ['purpose' as const, 'how_to_withdraw' as const],
                sharingWithOrgIds: [],
              },
            },
          ]),
      ...(referToClinic
        ? [
            {
              type: 'ConsentRecorded' as const,
              data: {
                consentId: sharingConsentId,
                scope: 'sharing' as const,
                givenBy: 'self' as const,
                informedOf: ['purpose' as const],
                sharingWithOrgIds: [ORGS.clinic],
              },
            },
            {
              type: 'ReferralMade' as const,
              data: {
                referralId,
                toOrgId: ORGS.clinic,
                reason: 'AdditionalServicesRequired',
                services: ['Health'],
                consentId: sharingConsentId,
              },
            },
            {
              type: 'ReferralAccepted' as const,
              data: { referralId, byOrgId: ORGS.clinic },
            },
          ]
        : []),
    ]);
    return { journeyId, personId, servicesConsentId };
  };

  return {
    app,
    store,
    keys,
    logs: logs.lines,
    token: (roles, org = ORGS.outreach, sub = `user-${roles.join('-')}-${org.slice(-4)}`) =>
      auth.tokenFor({ roles, org, sub }),
    journey,
    identification,
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}
