import { randomBytes } from 'node:crypto';
import type { Role } from '@waypoint/contracts';
import type { EventStore } from '@waypoint/eventstore';
import { MemoryEventStore } from '@waypoint/eventstore/memory';
import { BlindIndex, MemoryKeyStore } from '@waypoint/privacy';
import { capturedLogs, testContext, testServiceApp } from '@waypoint/runtime/testing';
import type { ServiceApp } from '@waypoint/service-kit';
import { testAuth } from '@waypoint/service-kit/testing';
import { v7 } from 'uuid';
import { identificationService } from '../service.js';

export const ORGS = {
  outreach: '0193b000-0000-7000-8000-000000000001',
  shelter: '0193b000-0000-7000-8000-000000000002',
  unrelated: '0193b000-0000-7000-8000-000000000003',
  closed: '0193b000-0000-7000-8000-000000000004',
} as const;

export interface TestWorld {
  readonly app: ServiceApp;
  readonly store: EventStore;
  readonly keys: MemoryKeyStore;
  /** Everything the app logged, for canary checks. */
  readonly logs: string[];
  token(roles: readonly Role[], org?: string, sub?: string): Promise<string>;
  close(): Promise<void>;
}

/** The identification service on in-memory stores, with the directory seeded. */
export async function testWorld(
  options: { store?: EventStore; now?: () => Date } = {},
): Promise<TestWorld> {
  const store = options.store ?? new MemoryEventStore();
  const keys = new MemoryKeyStore({ masterKey: { id: 'test-1', key: randomBytes(32) } });
  const auth = await testAuth();
  const logs = capturedLogs();
  const { app } = await testServiceApp(
    identificationService({ blindIndex: new BlindIndex(randomBytes(32)), breakGlassMinutes: 60 }),
    {
      context: testContext({
        store,
        keys,
        ...(options.now === undefined ? {} : { now: options.now }),
      }),
      authenticator: auth.authenticator,
      logger: logs.stream,
    },
  );
  const seedOrg = async (orgId: string, name: string, acceptsReferrals: boolean): Promise<void> => {
    await store.append(`organisation-${orgId}`, [
      {
        id: v7(),
        type: 'OrganisationRegistered',
        schemaVersion: 1,
        data: {
          orgId,
          name,
          type: 'NGO',
          country: 'NL',
          acceptsReferrals,
          services: ['SocialCare'],
        },
        metadata: {
          occurredAt: new Date().toISOString(),
          actor: { userId: 'seed', role: 'admin', orgId },
          correlationId: 'seed',
          causationId: 'seed',
        },
      },
    ]);
  };
  await seedOrg(ORGS.outreach, 'Outreach', true);
  await seedOrg(ORGS.shelter, 'Shelter', true);
  await seedOrg(ORGS.unrelated, 'Unrelated', true);
  await seedOrg(ORGS.closed, 'Closed', false);
  return {
    app,
    store,
    keys,
    logs: logs.lines,
    token: (roles, org = ORGS.outreach, sub = `user-${roles.join('-')}-${org.slice(-4)}`) =>
      auth.tokenFor({ roles, org, sub }),
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}
