import { collect } from '@waypoint/eventstore/contract';
import { http } from '@waypoint/service-kit/testing';
import { v7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testWorld, type TestWorld } from '../testing/test-app.js';

const RECEIVED = new Date('2026-03-10T12:00:00.000Z');
const daysFromNow = (days: number): string =>
  new Date(Date.now() + days * 86_400_000).toISOString();

const person = (birthDate = '1994-09-17') => ({
  identity: { givenName: 'Amara', familyName: `Okafor-${v7()}`, birthDate },
  gender: 'Feminine',
  ageBand: '30-38',
  child: 'no',
  citizenship: ['NG'],
  languages: ['en'],
});

describe('identification facts: when they happened, and the events appended', () => {
  let world: TestWorld;
  let caseworker: string;
  beforeEach(async () => {
    world = await testWorld({ now: () => RECEIVED });
    caseworker = await world.token(['caseworker']);
  });
  afterEach(async () => {
    await world.close();
  });

  async function openJourney(): Promise<string> {
    const registered = await http(world.app).post('/persons', person()).as(caseworker).expect(201);
    const { personId } = registered.body as { personId: string };
    const opened = await http(world.app)
      .post('/journeys', { personId, jurisdiction: 'NL' })
      .as(caseworker)
      .expect(201);
    return (opened.body as { journeyId: string }).journeyId;
  }

  const journeyEvents = (journeyId: string) =>
    collect(world.store.readStream(`identification-${journeyId}`));

  describe('given an open journey', () => {
    it('dates a fact by its occurredAt, in UTC, and answers the id of the event appended', async () => {
      const journeyId = await openJourney();
      const answer = await http(world.app)
        .post(`/journeys/${journeyId}/first-contact`, {
          channel: 'outreach',
          occurredAt: '2026-02-14T09:30:00+01:00',
        })
        .as(caseworker)
        .expect(201);
      const [, recorded] = await journeyEvents(journeyId);
      expect(answer.body).toEqual({ journeyId, revision: 1, eventIds: [recorded?.id] });
      expect(recorded?.metadata.occurredAt).toBe('2026-02-14T08:30:00.000Z');
      expect(recorded?.data).toEqual({ channel: 'outreach' });
    });

    it('replays the same event ids to a retry with the same Idempotency-Key, appending nothing', async () => {
      const journeyId = await openJourney();
      const send = () =>
        http(world.app)
          .post(`/journeys/${journeyId}/first-contact`, { channel: 'hotline' })
          .as(caseworker)
          .header('idempotency-key', `first-contact-${journeyId}`)
          .expect(201);
      const first = await send();
      const retry = await send();
      const [, recorded, ...more] = await journeyEvents(journeyId);
      expect(more).toEqual([]);
      expect(retry.body).toEqual(first.body);
      expect(first.body).toMatchObject({ eventIds: [recorded?.id] });
    });

    it('answers the event ids of every command route, a withdrawal of consent too', async () => {
      const journeyId = await openJourney();
      const consentId = v7();
      await http(world.app)
        .post(`/journeys/${journeyId}/consents`, {
          consentId,
          scope: 'services',
          givenBy: 'self',
          informedOf: ['purpose'],
        })
        .as(caseworker)
        .expect(201);
      const withdrawn = await http(world.app)
        .post(`/journeys/${journeyId}/consents/${consentId}/withdrawal`)
        .as(caseworker)
        .expect(201);
      const [, , withdrawal] = await journeyEvents(journeyId);
      expect(withdrawn.body).toMatchObject({ eventIds: [withdrawal?.id] });
    });

    it('takes a bare day as that day at 00:00 UTC', async () => {
      const journeyId = await openJourney();
      await http(world.app)
        .post(`/journeys/${journeyId}/age-assessment`, {
          outcome: 'adult',
          method: 'documents',
          occurredAt: '2026-01-05',
        })
        .as(caseworker)
        .expect(201);
      const [, recorded] = await journeyEvents(journeyId);
      expect(recorded?.metadata.occurredAt).toBe('2026-01-05T00:00:00.000Z');
    });

    it('dates a fact without occurredAt when the command was received', async () => {
      const journeyId = await openJourney();
      await http(world.app)
        .post(`/journeys/${journeyId}/information`, {
          topic: 'rights',
          language: 'en',
          interpreterUsed: false,
        })
        .as(caseworker)
        .expect(201);
      const [, recorded] = await journeyEvents(journeyId);
      expect(recorded?.metadata.occurredAt).toBe(RECEIVED.toISOString());
    });

    it.each([
      ['in the future', daysFromNow(2)],
      ['in year 0000', '0000-01-01T00:00:00Z'],
      ['not a date', 'yesterday'],
    ])('refuses an occurredAt %s with a problem naming the field', async (_case, occurredAt) => {
      const journeyId = await openJourney();
      const problem = await http(world.app)
        .post(`/journeys/${journeyId}/indicators`, {
          indicators: ['PhysicalThreats'],
          observedByOrgId: v7(),
          occurredAt,
        })
        .as(caseworker)
        .expectProblem(400, 'VALIDATION_FAILED');
      expect(problem.field).toBe('body.occurredAt');
      expect(await journeyEvents(journeyId)).toHaveLength(1);
    });

    it('refuses a consent valid until year 0000, naming the field', async () => {
      const journeyId = await openJourney();
      const problem = await http(world.app)
        .post(`/journeys/${journeyId}/consents`, {
          consentId: v7(),
          scope: 'sharing',
          givenBy: 'self',
          informedOf: ['purpose'],
          validUntil: '0000-06-01T00:00:00.000Z',
        })
        .as(caseworker)
        .expectProblem(400, 'VALIDATION_FAILED');
      expect(problem.field).toBe('body.validUntil');
    });

    it('answers the ids of every event a command appended, on both streams of an opening', async () => {
      const registered = await http(world.app)
        .post('/persons', person())
        .as(caseworker)
        .expect(201);
      const { personId, eventIds: registration } = registered.body as {
        personId: string;
        eventIds: string[];
      };
      const [personRegistered] = await collect(world.store.readStream(`person-${personId}`));
      expect(registration).toEqual([personRegistered?.id]);
      const opened = await http(world.app)
        .post('/journeys', { personId, jurisdiction: 'NL' })
        .as(caseworker)
        .expect(201);
      const { journeyId, eventIds } = opened.body as { journeyId: string; eventIds: string[] };
      const [, journeyOpenedForPerson] = await collect(
        world.store.readStream(`person-${personId}`),
      );
      const [journeyOpened] = await journeyEvents(journeyId);
      expect(eventIds).toEqual([journeyOpenedForPerson?.id, journeyOpened?.id]);
    });
  });

  describe('registering a person', () => {
    it.each([
      ['in the future', daysFromNow(3).slice(0, 10)],
      ['in year 0000', '0000-01-01'],
    ])('refuses a birth date %s, naming the field', async (_case, birthDate) => {
      const problem = await http(world.app)
        .post('/persons', person(birthDate))
        .as(caseworker)
        .expectProblem(400, 'VALIDATION_FAILED');
      expect(problem.field).toBe('body.identity.birthDate');
    });
  });
});
