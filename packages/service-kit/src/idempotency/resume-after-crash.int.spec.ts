import { randomUUID } from 'node:crypto';
import { DomainError, handleCommand, type Decider, type EventCodec } from '@waypoint/decider';
import { newEventId, type EventStore } from '@waypoint/eventstore';
import { PostgresEventStore } from '@waypoint/eventstore/postgres';
import { createTestDatabase, type ProvidedServices, type TestDatabase } from '@waypoint/testing';
import pg from 'pg';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createServiceApp, type ServiceApp } from '../app/create-service-app.js';
import { commandContext } from '../http/command-http.js';
import { http } from '../testing/http.js';
import { testAuth, type TestAuth } from '../testing/test-auth.js';
import type { IdempotencyStore } from './idempotency-store.js';
import { idempotent } from './idempotent.js';
import { operationNewId } from './operation.js';
import { PostgresIdempotencyStore } from './postgres-idempotency-store.js';
import { resumableStore } from './resumable-store.js';

declare module 'vitest' {
  export interface ProvidedContext {
    services: ProvidedServices;
  }
}

const { postgresAdminUrl } = inject('services');

type Command = { type: 'Open'; caseId: string; label: string };
type Event = { type: 'CaseOpened'; data: { caseId: string; label: string } };
type State = { status: 'none' } | { status: 'open'; caseId: string };

/** One open case per folder: a second opening is refused (409), as a journey for one person. */
const folders: Decider<Command, Event, State> = {
  initialState: () => ({ status: 'none' }),
  decide: (command, state) => {
    if (state.status === 'open')
      throw new DomainError('CASE_ALREADY_OPEN', 'The folder has an open case', 'conflict');
    return [{ type: 'CaseOpened', data: { caseId: command.caseId, label: command.label } }];
  },
  evolve: (_state, event) => ({ status: 'open', caseId: event.data.caseId }),
};

const codec: EventCodec<Event> = {
  encode: (event) => ({ type: event.type, schemaVersion: 1, data: event.data }),
  decode: (recorded) => ({
    type: 'CaseOpened',
    data: recorded.data as { caseId: string; label: string },
  }),
};

/**
 * The process dies between its append and its answer: nothing after the append happens (the
 * response is never stored, the claim never released). A retry then lands on a healthy process.
 */
class DyingAfterAppend implements IdempotencyStore {
  dead = false;
  constructor(private readonly inner: IdempotencyStore) {}
  claim(scope: string, key: string, hash: string) {
    return this.inner.claim(scope, key, hash);
  }
  complete(...args: Parameters<IdempotencyStore['complete']>) {
    return this.dead ? Promise.resolve() : this.inner.complete(...args);
  }
  release(...args: Parameters<IdempotencyStore['release']>) {
    return this.dead ? Promise.resolve() : this.inner.release(...args);
  }
  purgeExpired() {
    return this.inner.purgeExpired();
  }
}

const CLAIM_TIMEOUT_MS = 300;

describe.skipIf(!postgresAdminUrl)(
  'an Idempotency-Key request whose runner died between its append and its answer',
  () => {
    let database: TestDatabase;
    let pool: pg.Pool;
    let events: PostgresEventStore;
    let store: EventStore;
    let keys: DyingAfterAppend;
    let app: ServiceApp;
    let auth: TestAuth;

    beforeAll(async () => {
      database = await createTestDatabase(postgresAdminUrl ?? '');
      pool = new pg.Pool({ connectionString: database.url, max: 2 });
      pool.on('error', () => undefined);
      events = await PostgresEventStore.open({ connectionString: database.url, poolSize: 2 });
      store = resumableStore(events);
      keys = new DyingAfterAppend(
        await PostgresIdempotencyStore.open(pool, { claimTimeoutMs: CLAIM_TIMEOUT_MS }),
      );
      auth = await testAuth();
      app = await createServiceApp({
        name: 'folders',
        version: '1.0.0',
        authenticator: auth.authenticator,
        readiness: () => Promise.resolve(true),
        rateLimit: false,
        idempotencyStore: keys,
        logger: { level: 'silent' },
      });
      const newId = operationNewId(newEventId);
      app.post(
        '/folders/:folderId/cases',
        {
          schema: {
            params: z.object({ folderId: z.uuid() }),
            body: z.object({ label: z.string().min(1) }),
            response: { 201: z.object({ caseId: z.uuid(), revision: z.number().int() }) },
          },
          config: { access: { roles: ['caseworker'] } },
        },
        (request, reply) =>
          idempotent(request, reply, async () => {
            const caseId = newId();
            const result = await handleCommand({
              store,
              stream: `folder-${request.params.folderId}`,
              decider: folders,
              codec,
              command: { type: 'Open', caseId, label: request.body.label },
              context: commandContext(request, new Date()),
              newEventId: newId,
            });
            reply.code(201);
            return { caseId, revision: result.revision ?? 0 };
          }),
      );
      await app.ready();
    });

    afterAll(async () => {
      await app.close();
      await events.close();
      await pool.end();
      await database.drop();
    });

    const open = async (folderId: string, key: string, token: string) =>
      http(app)
        .post(`/folders/${folderId}/cases`, { label: 'first case' })
        .as(token)
        .header('idempotency-key', key)
        .send();

    it('answers a retry after the claim timeout with the first answer: the same created id, nothing appended twice', async () => {
      const folderId = randomUUID();
      const key = randomUUID();
      const token = await auth.tokenFor({ roles: ['caseworker'] });

      keys.dead = true;
      const lost = await open(folderId, key, token);
      expect(lost.status).toBe(201);
      keys.dead = false;

      await new Promise((resolve) => setTimeout(resolve, CLAIM_TIMEOUT_MS + 200));
      const retry = await open(folderId, key, token);
      expect(retry.status, retry.text).toBe(201);
      expect(retry.body).toEqual(lost.body);

      const stored = [];
      for await (const event of events.readStream(`folder-${folderId}`)) stored.push(event);
      expect(stored).toHaveLength(1);

      // Now answered and stored: the next retry is a plain replay.
      const again = await open(folderId, key, token);
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(lost.body);
    });

    it('still refuses another request that meets the state the first one left', async () => {
      const folderId = randomUUID();
      const token = await auth.tokenFor({ roles: ['caseworker'] });
      expect((await open(folderId, randomUUID(), token)).status).toBe(201);
      const other = await open(folderId, randomUUID(), token);
      expect(other.status).toBe(409);
      expect((other.body as { code: string }).code).toBe('CASE_ALREADY_OPEN');
    });
  },
);
