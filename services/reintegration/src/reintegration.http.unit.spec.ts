import { collect } from '@waypoint/eventstore/contract';
import { http } from '@waypoint/service-kit/testing';
import { v7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ORGS,
  RISK_ASSESSMENT_MAX_AGE_DAYS,
  testWorld,
  type TestWorld,
} from './testing/test-app.js';

const ngo = { type: 'NGO', name: 'Outreach' };
const lowReturnRisk = { scope: 'return', level: 'low', assessedBy: ngo };
const adultReturn = () => ({
  returnId: v7(),
  voluntary: true,
  destination: { kind: 'other', placeType: 'own_accommodation' },
  countryOfReturn: 'RO',
});

describe('reintegration over HTTP', () => {
  let world: TestWorld;
  let caseworker: string;
  let supervisor: string;
  beforeEach(async () => {
    world = await testWorld();
    caseworker = await world.token(['caseworker']);
    supervisor = await world.token(['supervisor'], ORGS.outreach, 'supervisor-1');
  });
  afterEach(async () => {
    await world.close();
  });

  const post = (journeyId: string, path: string, body: unknown, token = caseworker) =>
    http(world.app).post(`/journeys/${journeyId}/reintegration/${path}`, body).as(token);
  const stored = async (journeyId: string) =>
    collect(world.store.readStream(`reintegration-${journeyId}`));

  describe('recording facts', () => {
    it('records an involuntary return by an authority and its execution with no risk assessment: facts, for the audit to judge', async () => {
      const { journeyId } = await world.openJourney({ child: true });
      const returnId = v7();
      const decided = await post(journeyId, 'authority-return-decisions', {
        returnId,
        decidingBody: { type: 'NonPoliceGovernmentalOrganization', name: 'Immigration Service' },
        voluntary: false,
        destination: { kind: 'family' },
        countryOfReturn: 'RO',
        occurredAt: new Date(Date.now() - 86_400_000).toISOString(),
      }).expect(201);
      const [decision] = await collect(world.store.readStream(`reintegration-${journeyId}`));
      expect(decided.body).toEqual({ journeyId, revision: 0, eventIds: [decision?.id] });
      expect(decided.headers.etag).toBe('"0"');
      await post(journeyId, 'return-executions', {
        returnId,
        executedBy: { type: 'Police', name: 'Border police' },
        countryOfReturn: 'RO',
      }).expect(201);
      const events = await stored(journeyId);
      expect(events.map((event) => event.type)).toEqual(['ReturnDecided', 'ReturnExecuted']);
      expect(events[0]!.metadata.occurredAt < events[1]!.metadata.occurredAt).toBe(true);
      await post(journeyId, 'return-executions', {
        returnId,
        executedBy: { type: 'Police', name: 'Border police' },
        countryOfReturn: 'RO',
      }).expectProblem(409, 'RETURN_ALREADY_EXECUTED');
    });

    it('rejects a malformed fact naming the field, and a fact in the future', async () => {
      const { journeyId } = await world.openJourney();
      const problem = await post(journeyId, 'reviews', {
        reviewId: v7(),
        method: 'phone',
        scores: { economic: 1.5, social: 0.5, psychosocial: 0.5 },
      }).expectProblem(400, 'VALIDATION_FAILED');
      expect(problem.field).toBe('body.scores.economic');
      const badSituation = await post(journeyId, 'reviews', {
        reviewId: v7(),
        method: 'phone',
        scores: { economic: 0.5, social: 0.5, psychosocial: 0.5 },
        situation: { housing: 'a flat on Main road' },
      }).expectProblem(400, 'VALIDATION_FAILED');
      expect(badSituation.field).toBe('body.situation.housing');
      const future = await post(journeyId, 'risk-assessments', {
        ...lowReturnRisk,
        occurredAt: new Date(Date.now() + 86_400_000).toISOString(),
      }).expectProblem(400, 'VALIDATION_FAILED');
      expect(future.field).toBe('body.occurredAt');
      const yearZero = await post(journeyId, 'risk-assessments', {
        ...lowReturnRisk,
        occurredAt: '0000-01-01T00:00:00Z',
      }).expectProblem(400, 'VALIDATION_FAILED');
      expect(yearZero.field).toBe('body.occurredAt');
      expect(await world.store.streamRevision(`reintegration-${journeyId}`)).toBeNull();
    });

    it('answers 401 without a token, 403 for a role that may not record, 404 for a journey of another organisation or none', async () => {
      const { journeyId } = await world.openJourney();
      await http(world.app)
        .post(`/journeys/${journeyId}/reintegration/risk-assessments`, lowReturnRisk)
        .expectProblem(401, 'UNAUTHENTICATED');
      await post(
        journeyId,
        'risk-assessments',
        lowReturnRisk,
        await world.token(['shelter_staff']),
      ).expectProblem(403, 'FORBIDDEN');
      await post(
        journeyId,
        'risk-assessments',
        lowReturnRisk,
        await world.token(['reintegration_officer'], ORGS.unrelated),
      ).expectProblem(404, 'JOURNEY_NOT_FOUND');
      await post(v7(), 'risk-assessments', lowReturnRisk).expectProblem(404, 'JOURNEY_NOT_FOUND');
      await post(
        journeyId,
        'risk-assessments',
        lowReturnRisk,
        await world.token(['reintegration_officer']),
      ).expect(201);
    });

    it('honours If-Match: a stale revision is 412, a current one is accepted', async () => {
      const { journeyId } = await world.openJourney();
      await post(journeyId, 'risk-assessments', lowReturnRisk).expect(201);
      await post(journeyId, 'risk-assessments', lowReturnRisk)
        .header('if-match', '"5"')
        .expectProblem(412, 'PRECONDITION_FAILED');
      await post(journeyId, 'risk-assessments', lowReturnRisk)
        .header('if-match', '"0"')
        .expect(201);
    });

    it('replays a retried request with the same Idempotency-Key and writes nothing more', async () => {
      const { journeyId } = await world.openJourney();
      const first = await post(journeyId, 'risk-assessments', lowReturnRisk)
        .header('idempotency-key', 'retry-1')
        .expect(201);
      const again = await post(journeyId, 'risk-assessments', lowReturnRisk)
        .header('idempotency-key', 'retry-1')
        .expect(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await world.store.streamRevision(`reintegration-${journeyId}`)).toBe(0);
      await post(journeyId, 'risk-assessments', { ...lowReturnRisk, level: 'high' })
        .header('idempotency-key', 'retry-1')
        .expectProblem(422, 'IDEMPOTENCY_KEY_REUSED');
    });
  });

  describe('assisted returns', () => {
    it('refuses an adult’s return without a recent return risk assessment, then decides it', async () => {
      const { journeyId } = await world.openJourney();
      await post(journeyId, 'assisted-returns', adultReturn()).expectProblem(
        422,
        'RETURN_RISK_ASSESSMENT_REQUIRED',
      );
      await post(journeyId, 'risk-assessments', lowReturnRisk).expect(201);
      world.advanceDays(RISK_ASSESSMENT_MAX_AGE_DAYS + 1);
      await post(journeyId, 'assisted-returns', adultReturn()).expectProblem(
        422,
        'RETURN_RISK_ASSESSMENT_OUTDATED',
      );
      await post(journeyId, 'risk-assessments', lowReturnRisk).expect(201);
      await post(journeyId, 'assisted-returns', adultReturn()).expect(201);
      const decision = (await stored(journeyId)).at(-1);
      expect(decision).toMatchObject({
        type: 'AssistedReturnDecided',
        data: {
          presumedChild: false,
          overridden: false,
          basis: { riskAssessmentEventId: expect.any(String) },
        },
      });
    });

    it('guards a child’s return: best interests, family assessment and views; never to an implicated family', async () => {
      const { journeyId } = await world.openJourney({ child: true });
      await post(journeyId, 'risk-assessments', lowReturnRisk).expect(201);
      const familyAssessmentId = v7();
      const toFamily = {
        ...adultReturn(),
        destination: { kind: 'family', familyAssessmentId, address: 'Street 3, home town' },
      };
      const toFoster = {
        ...adultReturn(),
        destination: { kind: 'other', placeType: 'foster_or_residential_care' },
      };
      await post(journeyId, 'assisted-returns', toFoster).expectProblem(
        422,
        'BEST_INTERESTS_DETERMINATION_REQUIRED',
      );
      await post(journeyId, 'best-interests-determinations', {
        durableSolution: 'return',
        determinedBy: { type: 'CourtOrProsecution', name: 'BID panel' },
      }).expect(201);
      const missing = await post(journeyId, 'assisted-returns', toFamily).expectProblem(
        422,
        'FAMILY_ASSESSMENT_NOT_FOUND',
      );
      expect(missing.field).toBe('destination.familyAssessmentId');
      await post(journeyId, 'family-assessments', {
        familyAssessmentId,
        relationship: 'parents',
        familyImplicated: true,
        ableToCare: true,
        willingToCare: true,
        assessedBy: ngo,
      }).expect(201);
      await post(journeyId, 'assisted-returns', toFamily).expectProblem(
        422,
        'DESTINATION_FAMILY_IMPLICATED',
      );
      await post(
        journeyId,
        'assisted-returns',
        { ...toFamily, overrideReason: 'Parents insist' },
        supervisor,
      ).expectProblem(422, 'DESTINATION_FAMILY_IMPLICATED');
      await post(journeyId, 'assisted-returns', toFoster).expectProblem(
        422,
        'CHILD_VIEWS_REQUIRED',
      );
      await post(journeyId, 'child-views', {
        wishAboutReturn: 'wants_return',
        language: 'ro',
        interpreterUsed: true,
        guardianPresent: true,
        views: 'Wants to see her grandmother',
      }).expect(201);
      await post(journeyId, 'assisted-returns', toFoster).expect(201);
    });

    it('needs a guardian for an unaccompanied child, as identification recorded it', async () => {
      const ready = async (journeyId: string): Promise<void> => {
        await post(journeyId, 'risk-assessments', lowReturnRisk).expect(201);
        await post(journeyId, 'best-interests-determinations', {
          durableSolution: 'return',
          determinedBy: { type: 'CourtOrProsecution', name: 'BID panel' },
        }).expect(201);
        await post(journeyId, 'family-assessments', {
          familyAssessmentId: v7(),
          relationship: 'grandparents',
          familyImplicated: false,
          ableToCare: true,
          willingToCare: true,
          assessedBy: ngo,
        }).expect(201);
        await post(journeyId, 'child-views', {
          wishAboutReturn: 'undecided',
          language: 'ro',
          interpreterUsed: true,
          guardianPresent: false,
          views: 'Not sure',
        }).expect(201);
      };
      const alone = await world.openJourney({ unaccompanied: 'without-guardian' });
      await ready(alone.journeyId);
      await post(alone.journeyId, 'assisted-returns', adultReturn()).expectProblem(
        422,
        'GUARDIAN_REQUIRED',
      );
      const guarded = await world.openJourney({ unaccompanied: 'with-guardian' });
      await ready(guarded.journeyId);
      await post(guarded.journeyId, 'assisted-returns', adultReturn()).expect(201);
    });

    it('a supervisor overrides missing preconditions with a reason: the override is its own event, appended with the decision', async () => {
      const { journeyId } = await world.openJourney({ child: true });
      const body = {
        ...adultReturn(),
        overrideReason: 'Mother gravely ill; BID panel sits next month',
      };
      const refused = await post(journeyId, 'assisted-returns', body).expectProblem(
        403,
        'OVERRIDE_REQUIRES_SUPERVISOR',
      );
      expect(refused.field).toBe('overrideReason');
      await post(journeyId, 'assisted-returns', body, supervisor).expect(201);
      const events = await stored(journeyId);
      expect(events.map((event) => [event.type, event.revision])).toEqual([
        ['AssistedReturnOverrideRecorded', 0],
        ['AssistedReturnDecided', 1],
      ]);
      expect(events[0]?.data).toMatchObject({
        returnId: body.returnId,
        supervisorUserId: 'supervisor-1',
        waived: [
          'RETURN_RISK_ASSESSMENT_REQUIRED',
          'BEST_INTERESTS_DETERMINATION_REQUIRED',
          'FAMILY_ASSESSMENT_REQUIRED',
          'CHILD_VIEWS_REQUIRED',
        ],
        reason: { $enc: 'aes-256-gcm/v1', category: 'notes' },
      });
      expect(JSON.stringify(events)).not.toContain('gravely');
      const view = await http(world.app)
        .get(`/journeys/${journeyId}/reintegration`)
        .as(supervisor)
        .expect(200);
      expect(view.body).toMatchObject({
        phase: 'return_decided',
        returns: [
          {
            kind: 'assisted',
            overridden: true,
            override: { reason: 'Mother gravely ill; BID panel sits next month' },
          },
        ],
      });
    });
  });

  describe('reading', () => {
    it('shows status, next review and score history; reveals per role and records every read', async () => {
      const { journeyId } = await world.openJourney();
      await post(journeyId, 'risk-assessments', {
        ...lowReturnRisk,
        narrative: 'No threats at home',
      }).expect(201);
      await post(journeyId, 'assisted-returns', {
        ...adultReturn(),
        destination: {
          kind: 'other',
          placeType: 'own_accommodation',
          address: 'Flat 2, Main road',
        },
      }).expect(201);
      const today = new Date().toISOString().slice(0, 10);
      const inDays = (days: number) =>
        new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
      await post(journeyId, 'plans', {
        planId: v7(),
        setting: 'after_return',
        supportAreas: ['Livelihood'],
        firstReviewDue: inDays(90),
      }).expect(201);
      const baselineId = v7();
      await post(journeyId, 'reviews', {
        reviewId: baselineId,
        method: 'phone',
        scores: { economic: 0.2, social: 0.4, psychosocial: 0.3 },
        situation: { housing: 'shelter_or_temporary', work: 'unemployed_seeking', feelsSafe: 'no' },
        nextReviewDue: inDays(30),
        notes: 'Baseline',
      }).expect(201);
      const laterId = v7();
      await post(journeyId, 'reviews', {
        reviewId: laterId,
        method: 'in_person',
        scores: { economic: 0.5, social: 0.6, psychosocial: 0.4, composite: 0.5 },
        situation: { housing: 'stable_own', feelsSafe: 'yes', legalStatus: 'citizen_returned' },
        nextReviewDue: inDays(120),
      }).expect(201);

      const status = await http(world.app)
        .get(`/journeys/${journeyId}/reintegration`)
        .as(caseworker)
        .expect(200);
      expect(status.headers.etag).toBe('"4"');
      expect(status.body).toMatchObject({
        journeyId,
        phase: 'reintegrating',
        status: 'open',
        nextReviewDue: inDays(120),
        overdue: false,
        riskAssessments: [{ level: 'low', narrative: 'No threats at home' }],
        returns: [{ destination: { address: 'Flat 2, Main road' }, executed: false }],
        reviews: [
          { reviewId: baselineId, situation: { housing: 'shelter_or_temporary' } },
          { reviewId: laterId, situation: { housing: 'stable_own' } },
        ],
        situation: {
          housing: { code: 'stable_own', reviewId: laterId },
          work: { code: 'unemployed_seeking', reviewId: baselineId },
          feelsSafe: { code: 'yes', reviewId: laterId },
          legalStatus: { code: 'citizen_returned', reviewId: laterId },
        },
      });
      expect(status.body).not.toHaveProperty('situation.school');

      const next = await http(world.app)
        .get(`/journeys/${journeyId}/reintegration/next-review`)
        .as(await world.token(['reintegration_officer']))
        .expect(200);
      expect(next.body).toMatchObject({
        nextReviewDue: inDays(120),
        overdue: false,
        status: 'open',
      });
      expect(today < inDays(120)).toBe(true);

      const auditor = await world.token(['auditor'], ORGS.outreach, 'auditor-1');
      const scores = await http(world.app)
        .get(`/journeys/${journeyId}/reintegration/scores`)
        .as(auditor)
        .expect(200);
      expect(scores.body).toMatchObject({
        reviews: [
          { scores: { economic: 0.2 }, notes: { $hidden: 'restricted', category: 'notes' } },
          { scores: { economic: 0.5, composite: 0.5 } },
        ],
      });
      const change = (scores.body as { changeFromFirst: { economic: number } }).changeFromFirst;
      expect(change.economic).toBeCloseTo(0.3);

      await http(world.app)
        .get(`/journeys/${journeyId}/reintegration`)
        .as(await world.token(['caseworker'], ORGS.unrelated))
        .expectProblem(404, 'JOURNEY_NOT_FOUND');
      await http(world.app)
        .get(`/journeys/${journeyId}/reintegration`)
        .as(await world.token(['analyst']))
        .expectProblem(403, 'FORBIDDEN');

      const reads = await collect(world.store.readStream(`access-reintegration-${journeyId}`));
      expect(
        reads.map((read) => [read.data.userId, read.data.route, read.data.categories]),
      ).toEqual([
        [
          expect.stringContaining('caseworker'),
          'GET /journeys/:journeyId/reintegration',
          ['notes', 'location'],
        ],
        [
          expect.stringContaining('reintegration_officer'),
          'GET /journeys/:journeyId/reintegration/next-review',
          [],
        ],
        ['auditor-1', 'GET /journeys/:journeyId/reintegration/scores', []],
      ]);
    });

    it('shows a journey with nothing recorded yet as not started', async () => {
      const { journeyId } = await world.openJourney({ child: true });
      const status = await http(world.app)
        .get(`/journeys/${journeyId}/reintegration`)
        .as(caseworker)
        .expect(200);
      expect(status.body).toMatchObject({
        phase: 'not_started',
        presumedChild: true,
        revision: null,
        assistedReturnShortfalls: [
          'RETURN_RISK_ASSESSMENT_REQUIRED',
          'BEST_INTERESTS_DETERMINATION_REQUIRED',
          'FAMILY_ASSESSMENT_REQUIRED',
          'CHILD_VIEWS_REQUIRED',
        ],
      });
    });

    it("shows erased values once the person's keys are destroyed, without breaking the read", async () => {
      const { journeyId, personId } = await world.openJourney();
      await post(journeyId, 'risk-assessments', {
        ...lowReturnRisk,
        narrative: 'Threats by recruiter',
      }).expect(201);
      await world.keys.destroy(personId, ['notes'], 'erasure-request');
      const status = await http(world.app)
        .get(`/journeys/${journeyId}/reintegration`)
        .as(caseworker)
        .expect(200);
      expect(status.body).toMatchObject({
        riskAssessments: [{ level: 'low', narrative: { $hidden: 'erased', category: 'notes' } }],
      });
    });
  });

  describe('closing and corrections', () => {
    it('closes the journey: decisions are refused after, facts still recorded', async () => {
      const { journeyId } = await world.openJourney();
      await post(journeyId, 'closure', { reason: 'lost_to_follow_up' }).expect(201);
      await post(journeyId, 'closure', { reason: 'reintegrated' }).expectProblem(
        409,
        'JOURNEY_ALREADY_CLOSED',
      );
      await post(journeyId, 'plans', {
        planId: v7(),
        setting: 'local_integration',
        supportAreas: ['Education'],
        firstReviewDue: '2099-01-01',
      }).expectProblem(409, 'JOURNEY_CLOSED');
      await post(journeyId, 're-trafficking-reports', {
        source: 'police',
        exploitationTypes: ['ForcedCriminality'],
        details: 'Found in a cannabis farm',
      }).expect(201);
      const next = await http(world.app)
        .get(`/journeys/${journeyId}/reintegration/next-review`)
        .as(caseworker)
        .expect(200);
      expect(next.body).toMatchObject({ status: 'closed', overdue: false });
      expect(next.body).not.toHaveProperty('nextReviewDue');
    });

    it('a retracted risk assessment no longer counts; an amended one counts with its new data', async () => {
      const { journeyId } = await world.openJourney();
      await post(journeyId, 'risk-assessments', lowReturnRisk).expect(201);
      const [assessment] = await stored(journeyId);
      await post(journeyId, 'retractions', {
        retractedEventId: assessment?.id,
        reasonCode: 'wrong-journey',
        explanation: 'Belongs to another person',
      }).expect(201);
      await post(journeyId, 'assisted-returns', adultReturn()).expectProblem(
        422,
        'RETURN_RISK_ASSESSMENT_REQUIRED',
      );
      await post(journeyId, 'risk-assessments', {
        ...lowReturnRisk,
        narrative: 'First text',
      }).expect(201);
      const second = (await stored(journeyId)).at(-1);
      await post(journeyId, 'amendments', {
        amendedEventId: second?.id,
        reasonCode: 'data-entry-error',
        replacement: { ...lowReturnRisk, level: 'high', narrative: 'Corrected text' },
      }).expect(201);
      await post(journeyId, 'assisted-returns', adultReturn()).expectProblem(
        422,
        'RETURN_RISK_HIGH',
      );
      const view = await http(world.app)
        .get(`/journeys/${journeyId}/reintegration`)
        .as(caseworker)
        .expect(200);
      expect(view.body).toMatchObject({
        riskAssessments: [{ level: 'high', narrative: 'Corrected text' }],
        corrections: [
          { kind: 'retraction', targetEventId: assessment?.id },
          { kind: 'amendment', targetEventId: second?.id },
        ],
      });
      expect(JSON.stringify(await stored(journeyId))).not.toContain('Corrected text');
    });
  });

  it('never writes a personal value to the log, nor in clear to the store', async () => {
    const canary = `Canary${v7().replace(/-/g, '')}`;
    const { journeyId } = await world.openJourney({ child: true });
    await post(journeyId, 'child-views', {
      wishAboutReturn: 'does_not_want_return',
      language: 'en',
      interpreterUsed: false,
      guardianPresent: true,
      views: canary,
    }).expect(201);
    await post(journeyId, 'receptions', {
      receivingOrg: { name: 'Partner', country: 'RO' },
      contactsGiven: true,
      receptionAddress: canary,
    }).expect(201);
    await post(journeyId, 'assisted-returns', {
      ...adultReturn(),
      overrideReason: canary,
    }).expectProblem(403, 'OVERRIDE_REQUIRES_SUPERVISOR');
    await post(journeyId, 'child-views', { views: canary, language: 42 }).expectProblem(
      400,
      'VALIDATION_FAILED',
    );
    const read = await http(world.app)
      .get(`/journeys/${journeyId}/reintegration`)
      .as(caseworker)
      .expect(200);
    expect(read.text).toContain(canary);
    const reintegrationOfficer = await http(world.app)
      .get(`/journeys/${journeyId}/reintegration`)
      .as(await world.token(['reintegration_officer']))
      .expect(200);
    expect(reintegrationOfficer.text).toContain(canary);
    expect(world.logs.length).toBeGreaterThan(0);
    expect(world.logs.join('\n')).not.toContain(canary);
    const everything = await collect(world.store.readAll());
    expect(JSON.stringify(everything)).not.toContain(canary);
  });
});
