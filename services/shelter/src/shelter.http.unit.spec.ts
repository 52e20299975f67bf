import { collect } from '@waypoint/eventstore/contract';
import { http } from '@waypoint/service-kit/testing';
import { v7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ORGS, testWorld, type TestWorld } from './testing/test-app.js';

const inDays = (days: number): string => {
  const date = new Date();
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
};

const shelterBody = (overrides: Record<string, unknown> = {}) => ({
  name: `House ${v7()}`,
  type: 'emergency',
  capacity: 5,
  childOnly: false,
  adultsOnly: false,
  secure: false,
  country: 'NL',
  address: { line1: 'Quay 7', postalCode: '1000 AA', city: 'Harbourtown' },
  ...overrides,
});

describe('shelter over HTTP', () => {
  let world: TestWorld;
  let staff: string;
  let supervisor: string;
  beforeEach(async () => {
    world = await testWorld();
    staff = await world.token(['shelter_staff']);
    supervisor = await world.token(['supervisor']);
  });
  afterEach(async () => {
    await world.close();
  });

  async function registerShelter(overrides: Record<string, unknown> = {}): Promise<string> {
    const registered = await http(world.app)
      .post('/shelters', shelterBody(overrides))
      .as(supervisor)
      .expect(201);
    return (registered.body as { shelterId: string }).shelterId;
  }

  const admit = (journeyId: string, body: Record<string, unknown>, token = staff) =>
    http(world.app).post(`/journeys/${journeyId}/shelter/admissions`, body).as(token);

  describe('the shelter registry', () => {
    it("keeps the address encrypted under the shelter's key and lists shelters without it", async () => {
      const canary = `Canary${v7().replace(/-/g, '')}`;
      const shelterId = await registerShelter({ address: { line1: canary, city: 'Harbourtown' } });
      const stored = await collect(
        world.store.readAll({ filter: { categories: ['shelterregistry'] } }),
      );
      expect(JSON.stringify(stored)).not.toContain(canary);
      expect(stored[0]?.data).toMatchObject({
        address: { $enc: 'aes-256-gcm/v1', subject: shelterId, category: 'location' },
      });
      const listed = await http(world.app).get('/shelters').as(staff).expect(200);
      expect(listed.body).toEqual({
        shelters: [expect.objectContaining({ shelterId, capacity: 5, occupied: 0, available: 5 })],
      });
      expect(JSON.stringify(listed.body)).not.toContain(canary);
      expect(world.logs.join('\n')).not.toContain(canary);
    });

    it('shows the address to those who need it, records the read, and hides it from the others', async () => {
      const open = await registerShelter();
      const secure = await registerShelter({ secure: true });
      const seen = await http(world.app).get(`/shelters/${open}`).as(staff).expect(200);
      expect(seen.body).toMatchObject({ address: { line1: 'Quay 7', city: 'Harbourtown' } });
      expect(seen.headers.etag).toBe('"0"');
      const admin = await world.token(['admin']);
      expect(
        (await http(world.app).get(`/shelters/${open}`).as(admin).expect(200)).body,
      ).toMatchObject({
        address: { $hidden: 'restricted', category: 'location' },
      });
      const outsider = await world.token(['caseworker'], ORGS.unrelated);
      expect(
        (await http(world.app).get(`/shelters/${open}`).as(outsider).expect(200)).body,
      ).toMatchObject({
        address: { line1: 'Quay 7' },
      });
      expect(
        (await http(world.app).get(`/shelters/${secure}`).as(outsider).expect(200)).body,
      ).toMatchObject({
        address: { $hidden: 'restricted', category: 'location' },
      });
      const reads = await collect(world.store.readStream(`shelteraccess-${open}`));
      expect(reads.map((read) => read.data.userId)).toEqual([
        expect.stringContaining('shelter_staff'),
        expect.stringContaining('caseworker'),
      ]);
      expect(await world.store.streamRevision(`shelteraccess-${secure}`)).toBeNull();
      await http(world.app)
        .get(`/shelters/${v7()}`)
        .as(staff)
        .expectProblem(404, 'SHELTER_NOT_FOUND');
    });

    it('validates registrations naming the field, and changes a shelter only for its own organisation', async () => {
      const problem = await http(world.app)
        .post('/shelters', shelterBody({ capacity: 0 }))
        .as(supervisor)
        .expectProblem(400, 'VALIDATION_FAILED');
      expect(problem.field).toBe('body.capacity');
      await http(world.app)
        .post('/shelters', shelterBody({ childOnly: true, adultsOnly: true }))
        .as(supervisor)
        .expectProblem(422, 'SHELTER_POPULATION_CONFLICT');
      await http(world.app)
        .post('/shelters', shelterBody())
        .as(staff)
        .expectProblem(403, 'FORBIDDEN');
      const shelterId = await registerShelter();
      await http(world.app)
        .post(`/shelters/${shelterId}/changes`, { capacity: 9 })
        .as(await world.token(['supervisor'], ORGS.unrelated))
        .expectProblem(403, 'SHELTER_NOT_YOURS');
      await http(world.app)
        .post(`/shelters/${shelterId}/changes`, { capacity: 9 })
        .as(supervisor)
        .header('if-match', '"3"')
        .expectProblem(412, 'PRECONDITION_FAILED');
      await http(world.app)
        .post(`/shelters/${shelterId}/changes`, { capacity: 9 })
        .as(supervisor)
        .header('if-match', '"0"')
        .expect(201);
      const read = await http(world.app).get(`/shelters/${shelterId}`).as(staff).expect(200);
      expect(read.body).toMatchObject({ capacity: 9 });
    });

    it('closes only an empty shelter, which then admits no one', async () => {
      const shelterId = await registerShelter();
      const { journeyId } = await world.seedJourney();
      await admit(journeyId, { shelterId }).expect(201);
      await http(world.app)
        .post(`/shelters/${shelterId}/closure`, { reasonCode: 'permanently_closed' })
        .as(supervisor)
        .expectProblem(409, 'SHELTER_NOT_EMPTY');
      await http(world.app)
        .post(`/journeys/${journeyId}/shelter/exits`, { reason: 'left_voluntarily' })
        .as(staff)
        .expect(201);
      await http(world.app)
        .post(`/shelters/${shelterId}/closure`, { reasonCode: 'permanently_closed' })
        .as(supervisor)
        .expect(201);
      const other = await world.seedJourney();
      await admit(other.journeyId, { shelterId }).expectProblem(422, 'SHELTER_CLOSED');
      expect((await http(world.app).get('/shelters').as(staff).expect(200)).body).toEqual({
        shelters: [],
      });
    });
  });

  describe('admissions, transfers and exits', () => {
    it('admits, refuses a second admission, transfers, exits, and counts occupancy throughout', async () => {
      const first = await registerShelter();
      const second = await registerShelter();
      const { journeyId } = await world.seedJourney();
      const admitted = await admit(journeyId, { shelterId: first }).expect(201);
      const [admission] = await collect(world.store.readStream(`shelter-${journeyId}`));
      expect(admitted.body).toEqual({
        journeyId,
        revision: 0,
        placementId: expect.any(String) as string,
        eventIds: [admission?.id],
      });
      expect(admitted.headers.etag).toBe('"0"');
      await admit(journeyId, { shelterId: second }).expectProblem(409, 'PLACEMENT_ALREADY_OPEN');
      const occupancy = async () =>
        (await http(world.app).get('/shelters/occupancy').as(staff).expect(200)).body as {
          shelters: { shelterId: string; occupied: number }[];
        };
      expect((await occupancy()).shelters.find((s) => s.shelterId === first)?.occupied).toBe(1);
      await http(world.app)
        .post(`/journeys/${journeyId}/shelter/transfers`, { shelterId: second, reason: 'safety' })
        .as(staff)
        .expect(201);
      const afterTransfer = await occupancy();
      expect(afterTransfer.shelters.map((s) => [s.shelterId, s.occupied]).sort()).toEqual(
        [
          [first, 0],
          [second, 1],
        ].sort(),
      );
      const missing = await http(world.app)
        .post(`/journeys/${journeyId}/shelter/exits`, {})
        .as(staff)
        .expectProblem(400, 'VALIDATION_FAILED');
      expect(missing.field).toBe('body.reason');
      await http(world.app)
        .post(`/journeys/${journeyId}/shelter/exits`, { reason: 'family_reunification' })
        .as(staff)
        .expect(201);
      expect((await occupancy()).shelters.every((s) => s.occupied === 0)).toBe(true);
      const history = await http(world.app)
        .get(`/journeys/${journeyId}/shelter/placements`)
        .as(staff)
        .expect(200);
      expect(history.body).toMatchObject({
        placements: [
          { shelter: { shelterId: first }, status: 'ended', end: { kind: 'transfer' } },
          {
            shelter: { shelterId: second },
            status: 'ended',
            start: { kind: 'transfer', reason: 'safety' },
            end: { kind: 'exit', reason: 'family_reunification' },
          },
        ],
      });
      const current = await http(world.app)
        .get(`/journeys/${journeyId}/shelter/placement`)
        .as(staff)
        .expect(200);
      expect(current.body).toEqual({ journeyId, placement: null });
    });

    it('respects capacity unless a supervisor overrides with a reason, which is recorded', async () => {
      const shelterId = await registerShelter({ capacity: 1 });
      await admit((await world.seedJourney()).journeyId, { shelterId }).expect(201);
      const { journeyId } = await world.seedJourney();
      await admit(journeyId, { shelterId }).expectProblem(409, 'SHELTER_AT_CAPACITY');
      const body = { shelterId, overrideReason: 'Found at night, no other bed in the region' };
      await admit(journeyId, body).expectProblem(403, 'OVERRIDE_REQUIRES_SUPERVISOR');
      await admit(journeyId, body, supervisor).expect(201);
      const placement = await http(world.app)
        .get(`/journeys/${journeyId}/shelter/placement`)
        .as(staff)
        .expect(200);
      expect(placement.body).toMatchObject({
        placement: {
          override: {
            guards: ['SHELTER_AT_CAPACITY'],
            reason: 'Found at night, no other bed in the region',
          },
        },
      });
    });

    it('admits only presumed children to a child-only shelter', async () => {
      const shelterId = await registerShelter({ childOnly: true, type: 'children' });
      const adult = await world.seedJourney();
      await admit(adult.journeyId, { shelterId }).expectProblem(422, 'CHILD_ONLY_SHELTER');
      const child = await world.seedJourney({ child: true });
      await admit(child.journeyId, { shelterId }).expect(201);
      const adultsOnly = await registerShelter({ adultsOnly: true });
      const another = await world.seedJourney({ child: true });
      await admit(another.journeyId, { shelterId: adultsOnly }).expectProblem(
        422,
        'ADULT_SHELTER_FOR_PRESUMED_CHILD',
      );
    });

    it('needs a services consent, or a supervisor override', async () => {
      const shelterId = await registerShelter();
      const { journeyId } = await world.seedJourney({ servicesConsent: false });
      await admit(journeyId, { shelterId }).expectProblem(422, 'SERVICES_CONSENT_REQUIRED');
      await admit(
        journeyId,
        { shelterId, overrideReason: 'Vital interest: injured' },
        supervisor,
      ).expect(201);
    });

    it('restricts freedom of movement only with a justification and a review date', async () => {
      const shelterId = await registerShelter();
      const { journeyId } = await world.seedJourney();
      const noJustification = await admit(journeyId, {
        shelterId,
        freedomOfMovementRestricted: true,
        restriction: { justificationCode: 'threat_from_traffickers', reviewDate: inDays(7) },
      }).expectProblem(422, 'RESTRICTION_JUSTIFICATION_REQUIRED');
      expect(noJustification.field).toBe('restriction.justification');
      const noDate = await admit(journeyId, {
        shelterId,
        freedomOfMovementRestricted: true,
        restriction: { justificationCode: 'threat_from_traffickers', justification: 'Threats' },
      }).expectProblem(422, 'RESTRICTION_REVIEW_DATE_REQUIRED');
      expect(noDate.field).toBe('restriction.reviewDate');
      await admit(journeyId, {
        shelterId,
        freedomOfMovementRestricted: true,
        restriction: {
          justificationCode: 'threat_from_traffickers',
          justification: 'Exploiters waited outside the previous shelter',
          reviewDate: inDays(7),
        },
      }).expect(201);
      await http(world.app)
        .post(`/journeys/${journeyId}/shelter/movement-restriction-reviews`, {
          freedomOfMovementRestricted: false,
        })
        .as(staff)
        .expect(201);
      const read = await http(world.app)
        .get(`/journeys/${journeyId}/shelter/placement`)
        .as(staff)
        .expect(200);
      expect(read.body).toMatchObject({
        placement: {
          freedomOfMovementRestricted: false,
          restrictionReviews: [{ outcome: 'lifted' }],
        },
      });
    });

    it('does not end shelter for non-cooperation unless a supervisor overrides', async () => {
      const shelterId = await registerShelter();
      const { journeyId } = await world.seedJourney();
      await admit(journeyId, { shelterId }).expect(201);
      const exit = { reason: 'non_cooperation' };
      const refused = await http(world.app)
        .post(`/journeys/${journeyId}/shelter/exits`, exit)
        .as(staff)
        .expectProblem(422, 'EXIT_CONDITIONAL_ON_COOPERATION');
      expect(refused.field).toBe('reason');
      await http(world.app)
        .post(`/journeys/${journeyId}/shelter/exits`, {
          ...exit,
          overrideReason: 'Refused to testify',
        })
        .as(supervisor)
        .expect(201);
      const [stored] = (await collect(world.store.readStream(`shelter-${journeyId}`))).slice(-1);
      expect(stored?.data).toMatchObject({
        reason: 'non_cooperation',
        override: {
          guards: ['EXIT_CONDITIONAL_ON_COOPERATION'],
          reason: { $enc: 'aes-256-gcm/v1' },
        },
      });
    });
  });

  describe('recorded facts', () => {
    it('accepts a safety risk assessment and an incident as recorded, before any placement', async () => {
      const { journeyId } = await world.seedJourney();
      const assessed = await http(world.app)
        .post(`/journeys/${journeyId}/shelter/risk-assessments`, {
          level: 'high',
          risks: ['threats_received'],
          notes: 'Threat messages on her phone',
        })
        .as(staff)
        .expect(201);
      expect(assessed.body).toMatchObject({ journeyId, revision: 0 });
      await http(world.app)
        .post(`/journeys/${journeyId}/shelter/incidents`, {
          kind: 'threat_from_traffickers',
          severity: 'high',
          occurredOn: inDays(-1),
          policeNotified: true,
          description: 'Car seen outside twice',
        })
        .as(staff)
        .expect(201);
      const view = await http(world.app)
        .get(`/journeys/${journeyId}/shelter`)
        .as(staff)
        .expect(200);
      expect(view.body).toMatchObject({
        riskAssessments: [
          { scope: 'safety', level: 'high', notes: 'Threat messages on her phone' },
        ],
        incidents: [{ kind: 'threat_from_traffickers', description: 'Car seen outside twice' }],
      });
    });

    it('takes when an incident happened as occurredAt: the day as stated, the instant as its occurrence time', async () => {
      const { journeyId } = await world.seedJourney();
      const answer = await http(world.app)
        .post(`/journeys/${journeyId}/shelter/incidents`, {
          kind: 'violence',
          severity: 'medium',
          occurredAt: '2026-02-01T00:30:00+01:00',
          policeNotified: false,
        })
        .as(staff)
        .expect(201);
      const [incident] = await collect(world.store.readStream(`shelter-${journeyId}`));
      expect(answer.body).toMatchObject({ eventIds: [incident?.id] });
      expect(incident?.data).toMatchObject({ occurredOn: '2026-02-01' });
      expect(incident?.metadata.occurredAt).toBe('2026-01-31T23:30:00.000Z');
      const future = await http(world.app)
        .post(`/journeys/${journeyId}/shelter/incidents`, {
          kind: 'violence',
          severity: 'medium',
          occurredAt: new Date(Date.now() + 3_600_000).toISOString(),
          policeNotified: false,
        })
        .as(staff)
        .expectProblem(400, 'VALIDATION_FAILED');
      expect(future.field).toBe('body.occurredAt');
    });

    it('answers 401 without a token, 403 for a role that may not record, 404 for a journey not visible or none', async () => {
      const { journeyId } = await world.seedJourney();
      const fact = { level: 'low' };
      const url = `/journeys/${journeyId}/shelter/risk-assessments`;
      await http(world.app).post(url, fact).expectProblem(401, 'UNAUTHENTICATED');
      await http(world.app)
        .post(url, fact)
        .as(await world.token(['analyst']))
        .expectProblem(403, 'FORBIDDEN');
      await http(world.app)
        .post(url, fact)
        .as(await world.token(['shelter_staff'], ORGS.unrelated))
        .expectProblem(404, 'JOURNEY_NOT_FOUND');
      await http(world.app)
        .post(`/journeys/${v7()}/shelter/risk-assessments`, fact)
        .as(staff)
        .expectProblem(404, 'JOURNEY_NOT_FOUND');
      await http(world.app)
        .get(`/journeys/${journeyId}/shelter`)
        .as(await world.token(['shelter_staff'], ORGS.unrelated))
        .expectProblem(404, 'JOURNEY_NOT_FOUND');
    });

    it('lets a referred shelter organisation record once it accepted the referral', async () => {
      const { journeyId } = await world.seedJourney({ referredTo: ORGS.shelter });
      await http(world.app)
        .post(`/journeys/${journeyId}/shelter/risk-assessments`, { level: 'low' })
        .as(await world.token(['shelter_staff'], ORGS.shelter))
        .expect(201);
    });

    it('honours If-Match and replays an Idempotency-Key retry without writing again', async () => {
      const { journeyId } = await world.seedJourney();
      const url = `/journeys/${journeyId}/shelter/risk-assessments`;
      await http(world.app)
        .post(url, { level: 'low' })
        .as(staff)
        .header('if-match', '"4"')
        .expectProblem(412, 'PRECONDITION_FAILED');
      const first = await http(world.app)
        .post(url, { level: 'low' })
        .as(staff)
        .header('idempotency-key', 'retry-1')
        .expect(201);
      const again = await http(world.app)
        .post(url, { level: 'low' })
        .as(staff)
        .header('idempotency-key', 'retry-1')
        .expect(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await world.store.streamRevision(`shelter-${journeyId}`)).toBe(0);
      await http(world.app)
        .post(url, { level: 'low' })
        .as(staff)
        .header('if-match', '"0"')
        .expect(201);
    });
  });

  describe('reading and correcting', () => {
    it('records every read, and shows erased values once the person’s keys are destroyed', async () => {
      const shelterId = await registerShelter();
      const { journeyId, personId } = await world.seedJourney();
      await admit(journeyId, {
        shelterId,
        freedomOfMovementRestricted: true,
        restriction: {
          justificationCode: 'risk_of_self_harm',
          justification: 'Night supervision agreed with her',
          reviewDate: inDays(3),
        },
      }).expect(201);
      const read = await http(world.app)
        .get(`/journeys/${journeyId}/shelter/placement`)
        .as(staff)
        .expect(200);
      expect(read.body).toMatchObject({
        placement: { restriction: { justification: 'Night supervision agreed with her' } },
      });
      await world.keys.destroy(personId, ['notes'], 'erasure-request');
      const erased = await http(world.app)
        .get(`/journeys/${journeyId}/shelter`)
        .as(await world.token(['data_protection_officer'], ORGS.unrelated))
        .expect(200);
      expect(erased.body).toMatchObject({
        current: { restriction: { justification: { $hidden: 'erased', category: 'notes' } } },
      });
      const reads = await collect(world.store.readStream(`access-shelter-${journeyId}`));
      expect(reads.map((record) => [record.data.route, record.data.categories])).toEqual([
        ['GET /journeys/:journeyId/shelter/placement', ['notes']],
        ['GET /journeys/:journeyId/shelter', []],
      ]);
    });

    it('a retracted exit no longer counts: the placement is open again', async () => {
      const shelterId = await registerShelter();
      const { journeyId } = await world.seedJourney();
      await admit(journeyId, { shelterId }).expect(201);
      await http(world.app)
        .post(`/journeys/${journeyId}/shelter/exits`, { reason: 'went_missing' })
        .as(staff)
        .expect(201);
      const events = await collect(world.store.readStream(`shelter-${journeyId}`));
      const exit = events.find((event) => event.type === 'ShelterExited');
      await http(world.app)
        .post(`/journeys/${journeyId}/shelter/retractions`, {
          retractedEventId: exit?.id,
          reasonCode: 'recorded-in-error',
          explanation: 'She was at the hospital',
        })
        .as(staff)
        .expect(201);
      const view = await http(world.app)
        .get(`/journeys/${journeyId}/shelter`)
        .as(staff)
        .expect(200);
      expect(view.body).toMatchObject({
        current: { status: 'open', shelter: { shelterId } },
        corrections: [{ kind: 'retraction', targetEventId: exit?.id }],
      });
      const occupancy = await http(world.app).get('/shelters/occupancy').as(staff).expect(200);
      expect(occupancy.body).toMatchObject({ shelters: [{ shelterId, occupied: 1 }] });
      await admit(journeyId, { shelterId }).expectProblem(409, 'PLACEMENT_ALREADY_OPEN');
    });
  });

  it('never writes a personal value to the log nor in clear to the store', async () => {
    const canary = `Canary${v7().replace(/-/g, '')}`;
    const shelterId = await registerShelter();
    const { journeyId } = await world.seedJourney();
    await admit(journeyId, {
      shelterId,
      freedomOfMovementRestricted: true,
      restriction: { justificationCode: 'other', justification: canary, reviewDate: inDays(2) },
    }).expect(201);
    await http(world.app)
      .post(`/journeys/${journeyId}/shelter/incidents`, {
        kind: 'other',
        severity: 'low',
        occurredOn: inDays(0),
        policeNotified: false,
        description: canary,
      })
      .as(staff)
      .expect(201);
    await http(world.app)
      .post(`/journeys/${journeyId}/shelter/exits`, { reason: 'other', details: canary, extra: 1 })
      .as(staff)
      .expect(201);
    await http(world.app)
      .post(`/journeys/${journeyId}/shelter/incidents`, { kind: 42, description: canary })
      .as(staff)
      .expectProblem(400, 'VALIDATION_FAILED');
    await http(world.app).get(`/journeys/${journeyId}/shelter`).as(staff).expect(200);
    expect(world.logs.length).toBeGreaterThan(0);
    expect(world.logs.join('\n')).not.toContain(canary);
    const stored = await collect(world.store.readAll({}));
    expect(JSON.stringify(stored)).not.toContain(canary);
  });
});
