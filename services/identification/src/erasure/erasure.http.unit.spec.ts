import { randomUUID } from 'node:crypto';
import { httpErasureCoordinator, confirmPendingErasures, keyCachePurge } from '@waypoint/privacy';
import { http } from '@waypoint/service-kit/testing';
import { v7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErasureView } from './erasure-view.js';
import { erasureWorld, type ErasureWorld } from './testing/erasure-world.js';

const canary = (): string => `Canary${randomUUID().slice(0, 8)}`;

interface ExportBody {
  personId: string;
  journeyIds: string[];
  events: { stream: string; type: string; data: Record<string, unknown> }[];
}

describe('the erasure workflow over HTTP', () => {
  let world: ErasureWorld;
  let dpo: string;
  beforeEach(async () => {
    world = await erasureWorld();
    dpo = await world.token(['data_protection_officer']);
  });
  afterEach(async () => {
    await world.close();
  });

  const requestErasure = (personId: string, body: Record<string, unknown> = {}) =>
    http(world.app).post('/erasure-requests', {
      personId,
      reasonCode: 'data_subject_request',
      scope: 'all',
      ...body,
    });

  describe('refusals', () => {
    it('is for data-protection officers only', async () => {
      const { personId } = await world.seedPerson(canary());
      for (const roles of [['caseworker'], ['supervisor'], ['admin'], ['auditor']] as const) {
        const problem = await requestErasure(personId)
          .as(await world.token(roles))
          .expectProblem(403, 'FORBIDDEN');
        expect(problem.detail).toContain('data_protection_officer');
      }
      await http(world.app)
        .get(`/persons/${personId}/export`)
        .as(await world.token(['caseworker']))
        .expectProblem(403, 'FORBIDDEN');
    });
    it('answers 404 for a person nobody registered', async () => {
      await requestErasure(v7()).as(dpo).expectProblem(404, 'PERSON_NOT_FOUND');
      await http(world.app)
        .get(`/persons/${v7()}/export`)
        .as(dpo)
        .expectProblem(404, 'PERSON_NOT_FOUND');
      await http(world.app)
        .post(`/persons/${v7()}/legal-holds`, { basis: 'legal_claims', categories: ['legal'] })
        .as(dpo)
        .expectProblem(404, 'PERSON_NOT_FOUND');
      await http(world.app)
        .get(`/erasure-requests/${v7()}`)
        .as(dpo)
        .expectProblem(404, 'ERASURE_REQUEST_NOT_FOUND');
    });
    it('refuses a list of categories that is empty or repeats one', async () => {
      const { personId } = await world.seedPerson(canary());
      await requestErasure(personId, { scope: 'categories', categories: [] })
        .as(dpo)
        .expectProblem(400, 'VALIDATION_FAILED');
      await requestErasure(personId, { scope: 'categories', categories: ['health', 'health'] })
        .as(dpo)
        .expectProblem(400, 'VALIDATION_FAILED');
    });
  });

  describe('a person with no hold', () => {
    it('is erased once every service confirmed: values read as erased, every step recorded', async () => {
      const name = canary();
      const { personId, journeyId } = await world.seedPerson(name);
      const caseworker = await world.token(['caseworker']);
      const before = await http(world.app).get(`/persons/${personId}`).as(caseworker).expect(200);
      expect(JSON.stringify(before.body)).toContain(name);

      const requested = await requestErasure(personId).as(dpo).expect(201);
      const view = requested.body as ErasureView;
      expect(view).toMatchObject({
        status: 'awaiting_confirmations',
        scope: 'all',
        categories: ['identity', 'location', 'health', 'legal', 'notes'],
        origin: 'dpo',
      });
      expect(view.waitingFor).toHaveLength(8);
      // Nothing is destroyed before the services confirmed.
      expect(
        JSON.stringify(
          (await http(world.app).get(`/persons/${personId}`).as(caseworker).expect(200)).body,
        ),
      ).toContain(name);

      const report = await world.runtime.duties.run();
      expect(report).toMatchObject({ confirmed: 8 });

      const done = await http(world.app)
        .get(`/erasure-requests/${view.requestId}`)
        .as(await world.token(['auditor']))
        .expect(200);
      const completed = done.body as ErasureView;
      expect(completed.status).toBe('completed');
      expect(completed.waitingFor).toEqual([]);
      expect(completed.services.every((service) => service.confirmed)).toBe(true);
      expect(completed.keysDestroyed.map((entry) => entry.category).sort()).toEqual([
        'health',
        'identity',
        'legal',
        'location',
        'notes',
      ]);
      expect(completed.history.map((step) => step.type)).toEqual([
        'ErasureRequested',
        ...Array<string>(8).fill('ErasureServiceConfirmed'),
        'PersonKeysDestroyed',
        'ErasureCompleted',
      ]);
      expect(completed.history[0]?.actor).toEqual({
        userId: 'user-data_protection_officer',
        role: 'data_protection_officer',
      });

      const after = await http(world.app).get(`/persons/${personId}`).as(caseworker).expect(200);
      expect(JSON.stringify(after.body)).not.toContain(name);
      expect((after.body as { identity: unknown }).identity).toEqual({
        $hidden: 'erased',
        category: 'identity',
      });
      const timeline = await http(world.app)
        .get(`/journeys/${journeyId}/identification`)
        .as(caseworker)
        .expect(200);
      expect(JSON.stringify(timeline.body)).not.toContain(name);
      expect(world.logs.join('\n')).not.toContain(name);

      const listed = await http(world.app)
        .get(`/persons/${personId}/erasure-requests`)
        .as(dpo)
        .expect(200);
      expect((listed.body as { requests: ErasureView[] }).requests.map((r) => r.status)).toEqual([
        'completed',
      ]);
    });

    it('takes the person out of search and duplicate detection once identity is erased', async () => {
      const name = canary();
      const { personId } = await world.seedPerson(name);
      const caseworker = await world.token(['caseworker']);
      const search = () =>
        http(world.app)
          .get(`/persons?givenName=${name}&familyName=${name}-family&birthDate=1990-01-02`)
          .as(caseworker)
          .expect(200);
      const registration = {
        identity: { givenName: name, familyName: `${name}-family`, birthDate: '1990-01-02' },
        gender: 'Feminine',
        ageBand: '30-38',
        child: 'no',
        citizenship: ['NG'],
        languages: ['en'],
      };
      expect((await search()).body).toEqual({ personIds: [personId] });
      await http(world.app)
        .post('/persons', registration)
        .as(caseworker)
        .expectProblem(409, 'PERSON_POSSIBLY_REGISTERED');

      const requested = await requestErasure(personId).as(dpo).expect(201);
      await world.runtime.duties.run();
      const view = (
        await http(world.app)
          .get(`/erasure-requests/${(requested.body as ErasureView).requestId}`)
          .as(dpo)
          .expect(200)
      ).body as ErasureView;
      expect(view).toMatchObject({ status: 'completed', searchIndexRemoved: true });

      expect((await search()).body).toEqual({ personIds: [] });
      await http(world.app).post('/persons', registration).as(caseworker).expect(201);
    });

    it('keeps the person findable when identity is not among the erased categories', async () => {
      const name = canary();
      const { personId } = await world.seedPerson(name);
      const requested = await requestErasure(personId, {
        scope: 'categories',
        categories: ['health'],
      })
        .as(dpo)
        .expect(201);
      await world.runtime.duties.run();
      const view = (
        await http(world.app)
          .get(`/erasure-requests/${(requested.body as ErasureView).requestId}`)
          .as(dpo)
          .expect(200)
      ).body as ErasureView;
      expect(view).toMatchObject({ status: 'completed', searchIndexRemoved: false });
      const found = await http(world.app)
        .get(`/persons?givenName=${name}&familyName=${name}-family`)
        .as(await world.token(['caseworker']))
        .expect(200);
      expect(found.body).toEqual({ personIds: [personId] });
    });

    it('erases only the categories asked for', async () => {
      const name = canary();
      const { personId } = await world.seedPerson(name);
      const requested = await requestErasure(personId, {
        scope: 'categories',
        categories: ['location'],
      })
        .as(dpo)
        .expect(201);
      await world.runtime.duties.run();
      const view = (
        await http(world.app)
          .get(`/erasure-requests/${(requested.body as ErasureView).requestId}`)
          .as(dpo)
          .expect(200)
      ).body as ErasureView;
      expect(view.keysDestroyed.map((entry) => entry.category)).toEqual(['location']);
      const person = await http(world.app)
        .get(`/persons/${personId}`)
        .as(await world.token(['caseworker']))
        .expect(200);
      expect(JSON.stringify(person.body)).toContain(name);
    });

    it('waits for a service that confirms over HTTP from its own process', async () => {
      await world.close();
      world = await erasureWorld({ localServices: ['identification'] });
      dpo = await world.token(['data_protection_officer']);
      const { personId } = await world.seedPerson(canary());
      const { requestId } = (await requestErasure(personId).as(dpo).expect(201))
        .body as ErasureView;
      await world.runtime.duties.run();
      expect((await world.runtime.workflow.state(requestId)).status).toBe('awaiting_confirmations');

      const serviceToken = await world.token(['admin']);
      const coordinator = httpErasureCoordinator({
        baseUrl: 'http://identification',
        token: () => Promise.resolve(serviceToken),
        fetch: async (url, init) => {
          const response = await world.app.inject({
            method: init?.method === 'POST' ? 'POST' : 'GET',
            url: (typeof url === 'string' ? url : url instanceof URL ? url.href : url.url).replace(
              'http://identification',
              '',
            ),
            headers: init?.headers as Record<string, string>,
            ...(typeof init?.body === 'string' ? { payload: init.body } : {}),
          });
          return new Response(response.body, {
            status: response.statusCode,
            headers: { 'content-type': String(response.headers['content-type']) },
          });
        },
      });
      const others = ['shelter', 'care', 'legal', 'reintegration', 'journey', 'audit'] as const;
      for (const service of others) {
        expect(await confirmPendingErasures(coordinator, service, keyCachePurge(undefined))).toBe(
          1,
        );
      }
      expect((await world.runtime.workflow.state(requestId)).status).toBe('awaiting_confirmations');
      expect(await coordinator.pending('analytics')).toEqual([
        expect.objectContaining({ requestId, personId }),
      ]);
      await confirmPendingErasures(coordinator, 'analytics', keyCachePurge(undefined));
      expect((await world.runtime.workflow.state(requestId)).status).toBe('completed');
      // Nothing left for anyone; a repeated confirmation changes nothing.
      expect(await coordinator.pending('analytics')).toEqual([]);
      await coordinator.confirm(requestId, 'analytics', {
        outcome: 'nothing_decrypted_kept',
        cacheEntriesEvicted: 0,
      });
      await http(world.app)
        .post(`/erasure-requests/${requestId}/confirmations`, {
          service: 'care',
          outcome: 'nothing_decrypted_kept',
          cacheEntriesEvicted: 0,
        })
        .as(await world.token(['caseworker']))
        .expectProblem(403, 'FORBIDDEN');
    });
  });

  describe('a person under a legal hold', () => {
    it('blocks an erasure of a held category, names the hold, and resumes once it is lifted', async () => {
      const name = canary();
      const { personId } = await world.seedPerson(name);
      const placed = await http(world.app)
        .post(`/persons/${personId}/legal-holds`, {
          basis: 'legal_claims',
          categories: ['identity'],
        })
        .as(dpo)
        .expect(201);
      const { holdId } = placed.body as { holdId: string };

      const refused = await requestErasure(personId)
        .as(dpo)
        .expectProblem(409, 'ERASURE_UNDER_LEGAL_HOLD');
      expect(refused.detail).toContain(holdId);
      expect(refused.detail).toContain('GDPR Art. 17(3)(e)');

      const listed = await http(world.app)
        .get(`/persons/${personId}/erasure-requests`)
        .as(dpo)
        .expect(200);
      const [blocked] = (listed.body as { requests: ErasureView[] }).requests;
      expect(blocked).toMatchObject({
        status: 'blocked',
        blockedBy: [{ holdId, basis: 'legal_claims', categories: ['identity'] }],
      });
      const requestId = blocked?.requestId ?? '';
      expect(await world.runtime.duties.run()).toMatchObject({ advanced: 0 });
      const person = await http(world.app)
        .get(`/persons/${personId}`)
        .as(await world.token(['caseworker']))
        .expect(200);
      expect(JSON.stringify(person.body)).toContain(name);

      await http(world.app)
        .post(`/erasure-requests/${requestId}/resume`)
        .as(dpo)
        .expectProblem(409, 'ERASURE_UNDER_LEGAL_HOLD');
      await http(world.app)
        .post(`/persons/${personId}/legal-holds/${holdId}/lift`, {
          reasonCode: 'proceedings_concluded',
        })
        .as(dpo)
        .expect(200);
      const holds = await http(world.app)
        .get(`/persons/${personId}/legal-holds`)
        .as(dpo)
        .expect(200);
      expect(holds.body).toMatchObject({
        holds: [{ holdId, lifted: { reasonCode: 'proceedings_concluded' } }],
      });
      await http(world.app).post(`/erasure-requests/${requestId}/resume`).as(dpo).expect(200);
      await world.runtime.duties.run();
      const view = (await http(world.app).get(`/erasure-requests/${requestId}`).as(dpo).expect(200))
        .body as ErasureView;
      expect(view.status).toBe('completed');
      expect(view.history.map((step) => step.type)).toContain('ErasureResumed');
    });

    it('lets a category the hold does not cover be erased', async () => {
      const { personId } = await world.seedPerson(canary());
      await http(world.app)
        .post(`/persons/${personId}/legal-holds`, { basis: 'legal_claims', categories: ['legal'] })
        .as(dpo)
        .expect(201);
      await requestErasure(personId, { scope: 'categories', categories: ['identity', 'location'] })
        .as(dpo)
        .expect(201);
    });

    it('blocks a request whose hold was placed after it, before its keys went', async () => {
      await world.close();
      world = await erasureWorld({ localServices: ['identification'] });
      dpo = await world.token(['data_protection_officer']);
      const { personId } = await world.seedPerson(canary());
      const { requestId } = (await requestErasure(personId).as(dpo).expect(201))
        .body as ErasureView;
      await http(world.app)
        .post(`/persons/${personId}/legal-holds`, {
          basis: 'legal_obligation',
          categories: ['legal'],
        })
        .as(dpo)
        .expect(201);
      const admin = await world.token(['admin']);
      for (const service of [
        'shelter',
        'care',
        'legal',
        'reintegration',
        'journey',
        'audit',
        'analytics',
        'identification',
      ]) {
        await http(world.app)
          .post(`/erasure-requests/${requestId}/confirmations`, {
            service,
            outcome: 'nothing_decrypted_kept',
            cacheEntriesEvicted: 0,
          })
          .as(admin)
          .expect(200);
      }
      expect((await world.runtime.workflow.state(requestId)).status).toBe('blocked');
      expect(await world.keys.findKey(personId, 'identity')).not.toBe('destroyed');
    });
  });

  describe('the right of access', () => {
    it('exports everything held about the person, decrypted, and records the read', async () => {
      const name = canary();
      const { personId, journeyId } = await world.seedPerson(name);
      const exported = await http(world.app).get(`/persons/${personId}/export`).as(dpo).expect(200);
      const body = exported.body as ExportBody;
      expect(body.journeyIds).toEqual([journeyId]);
      expect(body.events.map((event) => event.type)).toEqual(
        expect.arrayContaining([
          'PersonRegistered',
          'PersonJourneyOpened',
          'JourneyOpened',
          'FirstContactRecorded',
        ]),
      );
      const registered = body.events.find((event) => event.type === 'PersonRegistered');
      expect(registered?.data.identity).toMatchObject({ givenName: name });
      const contact = body.events.find((event) => event.type === 'FirstContactRecorded');
      expect(contact?.data.location).toBe(`${name} street 1`);

      const reads = [];
      for await (const event of world.store.readStream(`access-identification-person-${personId}`))
        reads.push(event.data);
      expect(reads).toContainEqual(
        expect.objectContaining({
          route: 'GET /persons/:personId/export',
          userId: 'user-data_protection_officer',
          categories: expect.arrayContaining(['identity', 'location']) as unknown,
        }),
      );
    });

    it('shows erased values as erased after an erasure', async () => {
      const name = canary();
      const { personId } = await world.seedPerson(name);
      await requestErasure(personId).as(dpo).expect(201);
      await world.runtime.duties.run();
      const exported = await http(world.app).get(`/persons/${personId}/export`).as(dpo).expect(200);
      expect(exported.text).not.toContain(name);
      const body = exported.body as ExportBody;
      const registered = body.events.find((event) => event.type === 'PersonRegistered');
      expect(registered?.data.identity).toEqual({ $hidden: 'erased', category: 'identity' });
      expect(body.events.map((event) => event.type)).toContain('ErasureCompleted');
    });
  });
});
