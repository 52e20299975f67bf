import { randomBytes } from 'node:crypto';
import {
  identificationFamily,
  legalFamily,
  reintegrationFamily,
  shelterFamily,
  careFamily,
  type Role,
} from '@waypoint/contracts';
import type { EventStore, JsonObject } from '@waypoint/eventstore';
import { MemoryEventStore } from '@waypoint/eventstore/memory';
import { MemoryKeyStore, sealEvent } from '@waypoint/privacy';
import {
  createPgliteDatabase,
  type ProjectionEngine,
  type SqlDatabase,
} from '@waypoint/projections';
import {
  capturedLogs,
  testContext,
  testReadModels,
  testServiceApp,
} from '@waypoint/runtime/testing';
import type { ServiceApp } from '@waypoint/service-kit';
import { testAuth } from '@waypoint/service-kit/testing';
import { v7 } from 'uuid';
import { journeyService } from '../service.js';

export const ORGS = {
  outreach: '0193c000-0000-7000-8000-000000000001',
  shelter: '0193c000-0000-7000-8000-000000000002',
  unrelated: '0193c000-0000-7000-8000-000000000003',
} as const;

const FAMILIES = {
  identification: identificationFamily,
  shelter: shelterFamily,
  care: careFamily,
  legal: legalFamily,
  reintegration: reintegrationFamily,
} as const;
export type Service = keyof typeof FAMILIES;

export interface Recorded {
  readonly type: string;
  readonly data: JsonObject;
  /** When it happened; default now. */
  readonly occurredAt?: string;
}

export interface JourneyWorld {
  readonly app: ServiceApp;
  readonly store: EventStore;
  readonly db: SqlDatabase;
  readonly engine: ProjectionEngine;
  readonly logs: string[];
  token(roles: readonly Role[], org?: string): Promise<string>;
  /** Opens a journey as identification would; its id and the person's. */
  openJourney(org?: string, occurredAt?: string): Promise<{ journeyId: string; personId: string }>;
  /** Appends events to a service's stream of the journey, sealed under the person's keys; their ids. */
  record(service: Service, journeyId: string, events: readonly Recorded[]): Promise<string[]>;
  caughtUp(): Promise<void>;
  close(): Promise<void>;
}

/** The journey service on an in-memory store, with its read model in an in-memory PGlite. */
export async function journeyWorld(options: { store?: EventStore } = {}): Promise<JourneyWorld> {
  const store = options.store ?? new MemoryEventStore();
  const keys = new MemoryKeyStore({ masterKey: { id: 'test-1', key: randomBytes(32) } });
  const auth = await testAuth();
  const logs = capturedLogs();
  const db = await createPgliteDatabase();
  const engine = await testReadModels(journeyService, { store, db });
  const context = testContext({ store, keys, readModels: engine });
  const { cipher } = context;
  const { app } = await testServiceApp(journeyService, {
    context,
    authenticator: auth.authenticator,
    logger: logs.stream,
  });
  const persons = new Map<string, string>();

  const record = async (
    service: Service,
    journeyId: string,
    events: readonly Recorded[],
  ): Promise<string[]> => {
    const family = FAMILIES[service];
    const personId = persons.get(journeyId) ?? v7();
    const prepared = await Promise.all(
      events.map(async (event) => {
        const id = v7();
        const encoded = (family as typeof identificationFamily).encode({
          type: event.type,
          data: event.data,
        } as Parameters<typeof identificationFamily.encode>[0]);
        const data = await sealEvent(
          family as typeof identificationFamily,
          cipher,
          { type: encoded.type, data: encoded.data },
          id,
          personId,
        );
        return {
          id,
          type: encoded.type,
          schemaVersion: encoded.schemaVersion,
          data,
          metadata: {
            occurredAt: event.occurredAt ?? new Date().toISOString(),
            actor: { userId: 'recorder', role: 'caseworker', orgId: ORGS.outreach },
            correlationId: 'spec',
            causationId: 'spec',
          },
        };
      }),
    );
    await store.append(`${service}-${journeyId}`, prepared);
    return prepared.map((event) => event.id);
  };

  return {
    app,
    store,
    db,
    engine,
    logs: logs.lines,
    token: (roles, org = ORGS.outreach) =>
      auth.tokenFor({ roles, org, sub: `user-${roles.join('-')}-${org.slice(-4)}` }),
    openJourney: async (org = ORGS.outreach, occurredAt?: string) => {
      const journeyId = v7();
      const personId = v7();
      persons.set(journeyId, personId);
      await record('identification', journeyId, [
        {
          type: 'JourneyOpened',
          data: { journeyId, personId, jurisdiction: 'NL', openedByOrgId: org },
          ...(occurredAt === undefined ? {} : { occurredAt }),
        },
      ]);
      return { journeyId, personId };
    },
    record,
    caughtUp: () => engine.whenCaughtUp(),
    close: async () => {
      await app.close();
      await engine.stop();
      await db.close();
      await store.close();
    },
  };
}
