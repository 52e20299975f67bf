import { DomainError, type Decider, type EventCodec } from '@waypoint/decider';
import { newEventId } from '@waypoint/eventstore';
import { MemoryEventStore } from '@waypoint/eventstore/memory';
import { collect } from '@waypoint/eventstore/contract';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServiceApp } from '../app/create-service-app.js';
import { testAuth } from '../testing/test-auth.js';
import { journeyCommands } from './journey-commands.js';

type Event = { type: 'Noted'; data: { text: string } } | { type: 'EventAmended'; data: object };
type Command = { type: 'Note'; text: string } | { type: 'Amend'; amendedEventId: string };
const decider: Decider<Command, Event, null> = {
  decide: (command) =>
    command.type === 'Note'
      ? [{ type: 'Noted', data: { text: command.text } }]
      : [{ type: 'EventAmended', data: { amendedEventId: command.amendedEventId } }],
  evolve: (state) => state,
  initialState: () => null,
};
const codec: EventCodec<Event> = {
  encode: (event) => ({ type: event.type, schemaVersion: 1, data: { ...event.data } }),
  decode: (recorded) => ({ type: recorded.type, data: recorded.data }) as Event,
};

const journeyId = '0193c000-0000-7000-8000-000000000021';
const ours = '0193c000-0000-7000-8000-000000000031';
const readOnly = '0193c000-0000-7000-8000-000000000032';
const stranger = '0193c000-0000-7000-8000-000000000033';
const userId = '0193c000-0000-7000-8000-000000000034';
const journey = { personId: 'person-1' };

async function world() {
  const auth = await testAuth();
  const store = new MemoryEventStore();
  const sealed: { personId: string; amendedType: string | undefined }[] = [];
  const commands = journeyCommands({
    store,
    now: () => new Date('2026-02-01T00:00:00.000Z'),
    newId: newEventId,
    gate: {
      visible: (viewer, id) =>
        Promise.resolve(id === journeyId && viewer.orgId !== stranger ? journey : undefined),
      assertWorksOn: (_journey, viewer) => {
        if (viewer.orgId === readOnly)
          throw new DomainError('JOURNEY_READ_ONLY', 'read only', 'forbidden');
      },
    },
    stream: (id) => `demo-${id}`,
    accessStream: (id) => `access-demo-${id}`,
    decider,
    codec,
    seal: (event, _eventId, sealedFor, amendedType) => {
      sealed.push({ personId: sealedFor.personId, amendedType });
      return Promise.resolve(event.data);
    },
  });
  const app = await createServiceApp({
    name: 'journey-commands-spec',
    version: '0',
    authenticator: auth.authenticator,
    readiness: () => Promise.resolve(true),
    logger: { write: () => undefined },
    rateLimit: false,
  });
  const params = z.object({ journeyId: z.string() });
  const access = { access: { roles: ['caseworker' as const] } };
  app.post('/journeys/:journeyId/notes', { schema: { params }, config: access }, (request) =>
    commands.execute(request, request.params.journeyId, ({ principal }) => ({
      type: 'Note',
      text: `by ${principal.userId}`,
    })),
  );
  app.post(
    '/journeys/:journeyId/amendments/:eventId',
    { schema: { params: params.extend({ eventId: z.string() }) }, config: access },
    (request) =>
      commands.execute(request, request.params.journeyId, () => ({
        type: 'Amend',
        amendedEventId: request.params.eventId,
      })),
  );
  app.get('/journeys/:journeyId/notes', { schema: { params }, config: access }, (request) =>
    commands.read(request, request.params.journeyId, 'GET notes', ({ events, allowed }) =>
      Promise.resolve({
        value: { count: events.length, allowed: [...allowed] },
        categories: ['notes' as const],
      }),
    ),
  );
  await app.ready();
  const as = async (org: string) => ({
    authorization: `Bearer ${await auth.tokenFor({ sub: userId, org, roles: ['caseworker'] })}`,
  });
  return { app, store, sealed, as };
}

describe('journeyCommands', () => {
  it('runs a command on a journey the caller works on, sealing for its person', async () => {
    const { app, store, sealed, as } = await world();
    const answer = await app.inject({
      method: 'POST',
      url: `/journeys/${journeyId}/notes`,
      headers: await as(ours),
    });
    expect(answer.json()).toBe(0);
    const [noted] = await collect(store.readStream(`demo-${journeyId}`));
    expect(noted).toMatchObject({ type: 'Noted', data: { text: `by ${userId}` } });
    expect(noted?.metadata).toMatchObject({ occurredAt: '2026-02-01T00:00:00.000Z' });
    expect(sealed).toEqual([{ personId: 'person-1', amendedType: undefined }]);
  });

  it('tells the seal the type of the event an amendment amends', async () => {
    const { app, store, sealed, as } = await world();
    const headers = await as(ours);
    await app.inject({ method: 'POST', url: `/journeys/${journeyId}/notes`, headers });
    const [noted] = await collect(store.readStream(`demo-${journeyId}`));
    await app.inject({
      method: 'POST',
      url: `/journeys/${journeyId}/amendments/${noted?.id ?? ''}`,
      headers,
    });
    expect(sealed.map((seal) => seal.amendedType)).toEqual([undefined, 'Noted']);
  });

  it('answers 404 for a journey the caller does not see, and writes nothing', async () => {
    const { app, store, as } = await world();
    const answer = await app.inject({
      method: 'POST',
      url: `/journeys/${journeyId}/notes`,
      headers: await as(stranger),
    });
    expect(answer.statusCode).toBe(404);
    expect(answer.json()).toMatchObject({ code: 'JOURNEY_NOT_FOUND' });
    expect(await collect(store.readStream(`demo-${journeyId}`))).toEqual([]);
  });

  it('refuses a caller who may only read the journey', async () => {
    const { app, as } = await world();
    const answer = await app.inject({
      method: 'POST',
      url: `/journeys/${journeyId}/notes`,
      headers: await as(readOnly),
    });
    expect(answer.statusCode).toBe(403);
    expect(answer.json()).toMatchObject({ code: 'JOURNEY_READ_ONLY' });
  });

  it('reads a journey: reveals for the reader, records the read, answers the revision', async () => {
    const { app, store, as } = await world();
    const headers = await as(readOnly);
    const empty = await app.inject({ method: 'GET', url: `/journeys/${journeyId}/notes`, headers });
    expect(empty.json()).toMatchObject({ value: { count: 0 } });
    expect(empty.json()).not.toHaveProperty('revision');
    await app.inject({
      method: 'POST',
      url: `/journeys/${journeyId}/notes`,
      headers: await as(ours),
    });
    const read = await app.inject({ method: 'GET', url: `/journeys/${journeyId}/notes`, headers });
    expect(read.json()).toMatchObject({ value: { count: 1 }, revision: 0 });
    const records = await collect(store.readStream(`access-demo-${journeyId}`));
    expect(records).toHaveLength(2);
    expect(records[1]?.data).toMatchObject({
      subjectKind: 'journey',
      subjectId: journeyId,
      orgId: readOnly,
      categories: ['notes'],
      route: 'GET notes',
    });
  });

  it('records nothing when the reader does not see the journey', async () => {
    const { app, store, as } = await world();
    const answer = await app.inject({
      method: 'GET',
      url: `/journeys/${journeyId}/notes`,
      headers: await as(stranger),
    });
    expect(answer.statusCode).toBe(404);
    expect(await collect(store.readStream(`access-demo-${journeyId}`))).toEqual([]);
  });
});
