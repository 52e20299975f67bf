import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Role } from '@waypoint/contracts';
import type { EventStore } from '@waypoint/eventstore';
import { MemoryEventStore } from '@waypoint/eventstore/memory';
import {
  BlindIndex,
  CachingKeyStore,
  FieldCipher,
  keyCachePurge,
  MemoryKeyStore,
  type RetentionPolicy,
} from '@waypoint/privacy';
import { createServiceApp, type ServiceApp } from '@waypoint/service-kit';
import { testAuth } from '@waypoint/service-kit/testing';
import { http } from '@waypoint/service-kit/testing';
import { v7 } from 'uuid';
import { IDENTIFICATION_REDACT_PATHS, registerIdentification } from '../../app.js';
import { organisationDirectory } from '../../directory/organisation-directory.js';
import { personIndex } from '../../person/person-index.js';
import type { ErasureRuntime } from '../api.js';
import { registerErasure } from '../register.js';

export const ORG = '0193b000-0000-7000-8000-000000000001';

export interface ErasureWorld {
  readonly app: ServiceApp;
  readonly store: EventStore;
  readonly keys: CachingKeyStore;
  readonly runtime: ErasureRuntime;
  readonly logs: string[];
  token(roles: readonly Role[]): Promise<string>;
  /** Registers a person (identity holding `canary`) and opens a journey; returns their ids. */
  seedPerson(canary: string): Promise<{ personId: string; journeyId: string }>;
  close(): Promise<void>;
}

/**
 * The identification service with the erasure workflow on in-memory stores. Every service is
 * local (as in the embedded process) unless `localServices` says otherwise; the clock is `now()`.
 */
export async function erasureWorld(
  options: {
    readonly now?: () => Date;
    readonly retention?: RetentionPolicy;
    readonly localServices?: readonly (
      | 'identification'
      | 'shelter'
      | 'care'
      | 'legal'
      | 'reintegration'
      | 'journey'
      | 'audit'
      | 'analytics'
    )[];
  } = {},
): Promise<ErasureWorld> {
  const store = new MemoryEventStore();
  const keys = new CachingKeyStore(
    new MemoryKeyStore({ masterKey: { id: 'test-1', key: randomBytes(32) } }),
  );
  const auth = await testAuth();
  const logs: string[] = [];
  const app = await createServiceApp({
    name: 'identification',
    version: 'test',
    logger: new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(chunk.toString('utf8'));
        done();
      },
    }),
    authenticator: auth.authenticator,
    rateLimit: false,
    readiness: () => Promise.resolve(true),
    redactPaths: IDENTIFICATION_REDACT_PATHS,
  });
  const now = options.now ?? (() => new Date());
  const deps = {
    store,
    cipher: new FieldCipher(keys),
    blindIndex: new BlindIndex(randomBytes(32)),
    directory: organisationDirectory(store),
    persons: personIndex(store),
    now,
    newId: v7,
    breakGlassMinutes: 60,
  };
  await registerIdentification(app, deps);
  const runtime = await registerErasure(app, {
    ...deps,
    erasure: {
      keys,
      localServices: options.localServices ?? [
        'identification',
        'shelter',
        'care',
        'legal',
        'reintegration',
        'journey',
        'audit',
        'analytics',
      ],
      purge: keyCachePurge(keys),
      retention: options.retention ?? [],
      intervalMs: 0,
    },
  });
  await app.ready();
  await store.append(`organisation-${ORG}`, [
    {
      id: v7(),
      type: 'OrganisationRegistered',
      schemaVersion: 1,
      data: {
        orgId: ORG,
        name: 'Outreach',
        type: 'NGO',
        country: 'NL',
        acceptsReferrals: true,
        services: ['SocialCare'],
      },
      metadata: {
        occurredAt: new Date().toISOString(),
        actor: { userId: 'seed', role: 'admin', orgId: ORG },
        correlationId: 'seed',
        causationId: 'seed',
      },
    },
  ]);
  const token = (roles: readonly Role[]): Promise<string> =>
    auth.tokenFor({ roles, org: ORG, sub: `user-${roles.join('-')}` });
  return {
    app,
    store,
    keys,
    runtime,
    logs,
    token,
    async seedPerson(canary) {
      const caseworker = await token(['caseworker']);
      const registered = await http(app)
        .post('/persons', {
          identity: { givenName: canary, familyName: `${canary}-family`, birthDate: '1990-01-02' },
          gender: 'Feminine',
          ageBand: '30-38',
          child: 'no',
          citizenship: ['NG'],
          languages: ['en'],
        })
        .as(caseworker)
        .expect(201);
      const { personId } = registered.body as { personId: string };
      const opened = await http(app)
        .post('/journeys', { personId, jurisdiction: 'NL' })
        .as(caseworker)
        .expect(201);
      const { journeyId } = opened.body as { journeyId: string };
      await http(app)
        .post(`/journeys/${journeyId}/first-contact`, {
          channel: 'outreach',
          location: `${canary} street 1`,
        })
        .as(caseworker)
        .expect(201);
      return { personId, journeyId };
    },
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}
