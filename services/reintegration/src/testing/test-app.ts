import { randomBytes } from 'node:crypto';
import type { Role } from '@waypoint/contracts';
import type { EventStore, JsonObject } from '@waypoint/eventstore';
import { MemoryEventStore } from '@waypoint/eventstore/memory';
import { MemoryKeyStore } from '@waypoint/privacy';
import { capturedLogs, testContext, testServiceApp } from '@waypoint/runtime/testing';
import type { ServiceApp } from '@waypoint/service-kit';
import { testAuth } from '@waypoint/service-kit/testing';
import { v7 } from 'uuid';
import { reintegrationService } from '../service.js';

export const ORGS = {
  outreach: '0193c000-0000-7000-8000-000000000001',
  returns: '0193c000-0000-7000-8000-000000000002',
  unrelated: '0193c000-0000-7000-8000-000000000003',
} as const;

/** The allowed age of a return risk assessment in the test world. */
export const RISK_ASSESSMENT_MAX_AGE_DAYS = 30;

export interface TestWorld {
  readonly app: ServiceApp;
  readonly store: EventStore;
  readonly keys: MemoryKeyStore;
  /** Everything the app logged, for canary checks. */
  readonly logs: string[];
  token(roles: readonly Role[], org?: string, sub?: string): Promise<string>;
  /** A journey opened by `org` in identification, as its events would be stored there. */
  openJourney(options?: {
    child?: boolean;
    /** An unaccompanied child, with or without a guardian appointed. */
    unaccompanied?: 'without-guardian' | 'with-guardian';
    org?: string;
  }): Promise<{ journeyId: string; personId: string }>;
  /** Moves the service's clock (it starts at the real time). */
  advanceDays(days: number): void;
  close(): Promise<void>;
}

/** The reintegration service on in-memory stores; journeys are seeded as identification events. */
export async function testWorld(options: { store?: EventStore } = {}): Promise<TestWorld> {
  const store = options.store ?? new MemoryEventStore();
  const keys = new MemoryKeyStore({ masterKey: { id: 'test-1', key: randomBytes(32) } });
  const auth = await testAuth();
  const logs = capturedLogs();
  let offsetMs = 0;
  const now = (): Date => new Date(Date.now() + offsetMs);
  const { app } = await testServiceApp(
    reintegrationService({ returnRiskAssessmentMaxAgeDays: RISK_ASSESSMENT_MAX_AGE_DAYS }),
    {
      context: testContext({ store, keys, now }),
      authenticator: auth.authenticator,
      logger: logs.stream,
    },
  );

  const seed = (type: string, data: JsonObject, orgId: string) => ({
    id: v7(),
    type,
    schemaVersion: 1,
    data,
    metadata: {
      occurredAt: now().toISOString(),
      actor: { userId: 'seed', role: 'caseworker', orgId },
      correlationId: 'seed',
      causationId: 'seed',
    },
  });

  return {
    app,
    store,
    keys,
    logs: logs.lines,
    token: (roles, org = ORGS.outreach, sub = `user-${roles.join('-')}-${org.slice(-4)}`) =>
      auth.tokenFor({ roles, org, sub }),
    async openJourney({ child = false, unaccompanied, org = ORGS.outreach } = {}) {
      const journeyId = v7();
      const personId = v7();
      await store.append(`identification-${journeyId}`, [
        seed('JourneyOpened', { journeyId, personId, jurisdiction: 'NL', openedByOrgId: org }, org),
        ...(child
          ? [seed('AgeUncertaintyRecorded', { reasonsToBelieveChild: ['appearance'] }, org)]
          : []),
        ...(unaccompanied ? [seed('UnaccompaniedChildRecorded', { separated: false }, org)] : []),
        ...(unaccompanied === 'with-guardian'
          ? [
              seed(
                'GuardianAppointed',
                {
                  appointedBy: { type: 'CourtOrProsecution', name: 'District Court' },
                  guardianName: {
                    $enc: 'aes-256-gcm/v1',
                    subject: personId,
                    category: 'identity',
                    path: 'guardianName',
                    iv: 'AAAAAAAAAAAAAAAA',
                    ct: 'AA',
                    tag: 'AAAAAAAAAAAAAAAAAAAAAA',
                  },
                },
                org,
              ),
            ]
          : []),
      ]);
      return { journeyId, personId };
    },
    advanceDays(days) {
      offsetMs += days * 86_400_000;
    },
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}
