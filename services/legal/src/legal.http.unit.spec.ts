import { collect } from '@waypoint/eventstore/contract';
import { http } from '@waypoint/service-kit/testing';
import { v7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ORGS, testWorld, type TestWorld } from './testing/test-app.js';

const DAY_MS = 86_400_000;
const day = (offset: number): string =>
  new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10);
const immigration = { type: 'ImmigrationAuthority', name: 'Immigration Service' };
const police = { type: 'Police', name: 'Harbour police' };
const court = { type: 'Court', name: 'District court' };

describe('legal over HTTP', () => {
  let world: TestWorld;
  let caseworker: string;
  beforeEach(async () => {
    world = await testWorld();
    caseworker = await world.token(['caseworker']);
  });
  afterEach(async () => {
    await world.close();
  });

  const post = (journeyId: string, path: string, body: unknown) =>
    http(world.app).post(`/journeys/${journeyId}/legal/${path}`, body);
  const period = (overrides: Record<string, unknown> = {}) => ({
    actingBody: immigration,
    occurredOn: day(-20),
    start: day(-20),
    end: day(-6),
    ...overrides,
  });
  const events = async (journeyId: string) => collect(world.store.readStream(`legal-${journeyId}`));

  /** The Legal Aid Bureau sees the journey once it accepted a referral made on a sharing consent. */
  async function referToLegalAid(journeyId: string): Promise<string> {
    const consentId = v7();
    const referralId = v7();
    await world.identification(journeyId, [
      {
        type: 'ConsentRecorded',
        data: {
          consentId,
          scope: 'sharing',
          givenBy: 'self',
          informedOf: ['purpose'],
          sharingWithOrgIds: [ORGS.legalAid],
        },
      },
      {
        type: 'ReferralMade',
        data: {
          referralId,
          toOrgId: ORGS.legalAid,
          reason: 'AdditionalServicesRequired',
          services: ['Legal'],
          consentId,
        },
      },
      { type: 'ReferralAccepted', data: { referralId, byOrgId: ORGS.legalAid } },
    ]);
    return world.token(['legal_advisor'], ORGS.legalAid);
  }

  describe('recording facts of outside bodies', () => {
    it('records a reflection period shorter than 30 days, ended early for non-cooperation, and a removal enforced during it: as they happened', async () => {
      const { journeyId } = await world.openJourney();
      const granted = await post(journeyId, 'reflection-periods', period())
        .as(caseworker)
        .expect(201);
      const { periodId } = granted.body as { periodId: string };
      expect(granted.body).toEqual({
        journeyId,
        revision: 0,
        periodId: expect.any(String),
        eventIds: [expect.any(String)],
      });
      expect(granted.headers.etag).toBe('"0"');
      const { orderId } = (
        await post(journeyId, 'removal-orders', {
          actingBody: immigration,
          occurredOn: day(-15),
          kind: 'dublin_transfer',
          destinationCountry: 'IT',
        })
          .as(caseworker)
          .expect(201)
      ).body as { orderId: string };
      await post(journeyId, `reflection-periods/${periodId}/end`, {
        actingBody: immigration,
        occurredOn: day(-12),
        reason: 'non_cooperation',
      })
        .as(caseworker)
        .expect(201);
      await post(journeyId, 'removals', {
        orderId,
        actingBody: immigration,
        occurredOn: day(-12),
        kind: 'dublin_transfer',
      })
        .as(caseworker)
        .expect(201);
      const stored = await events(journeyId);
      expect(stored.map((event) => event.type)).toEqual([
        'RecoveryReflectionPeriodGranted',
        'RemovalOrderIssued',
        'RecoveryReflectionPeriodEnded',
        'RemovalEnforced',
      ]);
      // The occurrence time is the day the body acted; the store keeps when it was recorded.
      expect(stored[3]?.metadata.occurredAt).toBe(`${day(-12)}T00:00:00.000Z`);
      const view = await http(world.app)
        .get(`/journeys/${journeyId}/legal`)
        .as(caseworker)
        .expect(200);
      expect(view.body).toMatchObject({
        reflectionPeriod: {
          periodId,
          start: day(-20),
          end: day(-6),
          days: 14,
          endedOn: day(-12),
          endReason: 'non_cooperation',
          status: 'ended',
        },
        removalOrders: [{ orderId, enforced: true }],
        removals: [{ orderId, kind: 'dublin_transfer' }],
      });
    });

    it('records detention, a charge linked to the trafficking, and a penalty: facts, never refused for being unlawful', async () => {
      const { journeyId } = await world.openJourney();
      const { detentionId } = (
        await post(journeyId, 'detentions', {
          actingBody: immigration,
          occurredOn: day(-3),
          kind: 'immigration',
          place: 'Detention centre West',
        })
          .as(caseworker)
          .expect(201)
      ).body as { detentionId: string };
      const { chargeId } = (
        await post(journeyId, 'charges', {
          actingBody: police,
          occurredOn: day(-3),
          offence: 'false_documents',
          linkedToTrafficking: 'yes',
          description: 'Used a passport supplied by the exploiter',
        })
          .as(caseworker)
          .expect(201)
      ).body as { chargeId: string };
      await post(journeyId, 'penalties', {
        chargeId,
        actingBody: court,
        occurredOn: day(-1),
        penalty: 'fine',
        amount: { amount: 300, currency: 'EUR' },
      })
        .as(caseworker)
        .expect(201);
      await post(journeyId, `detentions/${detentionId}/end`, {
        actingBody: immigration,
        occurredOn: day(0),
      })
        .as(caseworker)
        .expect(201);
      await post(journeyId, `detentions/${detentionId}/end`, {
        actingBody: immigration,
        occurredOn: day(0),
      })
        .as(caseworker)
        .expectProblem(409, 'DETENTION_ALREADY_ENDED');
      await post(journeyId, `charges/${v7()}/prosecution-decisions`, {
        actingBody: { type: 'Prosecution', name: 'Prosecutor' },
        occurredOn: day(0),
        outcome: 'prosecute',
        nonPunishmentConsidered: false,
      })
        .as(caseworker)
        .expectProblem(404, 'CHARGE_NOT_FOUND');
      const view = await http(world.app)
        .get(`/journeys/${journeyId}/legal`)
        .as(caseworker)
        .expect(200);
      expect(view.body).toMatchObject({
        detentions: [
          { detentionId, kind: 'immigration', place: 'Detention centre West', endedOn: day(0) },
        ],
        charges: [
          {
            chargeId,
            status: 'concluded',
            description: 'Used a passport supplied by the exploiter',
          },
        ],
        penalties: [{ chargeId, amount: { amount: 300, currency: 'EUR' } }],
        pending: { detentions: [], charges: [] },
      });
    });

    it('rejects a malformed fact naming the field, and a fact dated in the future', async () => {
      const { journeyId } = await world.openJourney();
      const unnamed = await post(
        journeyId,
        'reflection-periods',
        period({ actingBody: { type: 'Court' } }),
      )
        .as(caseworker)
        .expectProblem(400, 'VALIDATION_FAILED');
      expect(unnamed.field).toBe('body.actingBody.name');
      const reversed = await post(journeyId, 'reflection-periods', period({ end: day(-30) }))
        .as(caseworker)
        .expectProblem(400, 'VALIDATION_FAILED');
      expect(reversed.field).toBe('body.end');
      const future = await post(journeyId, 'cooperation', {
        actingBody: police,
        occurredOn: day(5),
        status: 'willing',
      })
        .as(caseworker)
        .expectProblem(400, 'VALIDATION_FAILED');
      expect(future.field).toBe('body.occurredOn');
      const yearZero = await post(journeyId, 'cooperation', {
        actingBody: police,
        occurredOn: '0000-01-01',
        status: 'willing',
      })
        .as(caseworker)
        .expectProblem(400, 'VALIDATION_FAILED');
      expect(yearZero.field).toBe('body.occurredOn');
      expect(await world.store.streamRevision(`legal-${journeyId}`)).toBeNull();
    });

    describe('when it happened, as occurredAt (the name every service accepts)', () => {
      it('keeps the day stated as occurredOn and the instant as the occurrence time, and answers the event id', async () => {
        const { journeyId } = await world.openJourney();
        const answer = await post(journeyId, 'cooperation', {
          actingBody: police,
          occurredAt: '2026-02-01T00:30:00+01:00',
          status: 'willing',
        })
          .as(caseworker)
          .expect(201);
        const [stored] = await collect(world.store.readStream(`legal-${journeyId}`));
        expect(answer.body).toEqual({ journeyId, revision: 0, eventIds: [stored?.id] });
        expect(stored?.data).toMatchObject({ occurredOn: '2026-02-01' });
        expect(stored?.data).not.toHaveProperty('occurredAt');
        expect(stored?.metadata.occurredAt).toBe('2026-01-31T23:30:00.000Z');
      });

      it('still dates a fact given by occurredOn alone at 00:00 UTC of that day', async () => {
        const { journeyId } = await world.openJourney();
        await post(journeyId, 'cooperation', {
          actingBody: police,
          occurredOn: '2026-02-01',
          status: 'willing',
        })
          .as(caseworker)
          .expect(201);
        const [stored] = await collect(world.store.readStream(`legal-${journeyId}`));
        expect(stored?.metadata.occurredAt).toBe('2026-02-01T00:00:00.000Z');
      });

      it('refuses neither, a future occurredAt, or two that name different days, naming occurredAt', async () => {
        const { journeyId } = await world.openJourney();
        for (const when of [
          {},
          { occurredAt: new Date(Date.now() + 3_600_000).toISOString() },
          { occurredOn: '2026-02-01', occurredAt: '2026-02-02T10:00:00Z' },
        ]) {
          const problem = await post(journeyId, 'cooperation', {
            actingBody: police,
            status: 'willing',
            ...when,
          })
            .as(caseworker)
            .expectProblem(400, 'VALIDATION_FAILED');
          expect(problem.field, JSON.stringify(when)).toBe('body.occurredAt');
        }
        expect(await world.store.streamRevision(`legal-${journeyId}`)).toBeNull();
      });
    });

    it('answers 401 without a token, 403 for a role that may not record, 404 for a journey of another organisation or none', async () => {
      const { journeyId } = await world.openJourney();
      const fact = { actingBody: police, occurredOn: day(0), status: 'undecided' };
      await post(journeyId, 'cooperation', fact).expectProblem(401, 'UNAUTHENTICATED');
      await post(journeyId, 'cooperation', fact)
        .as(await world.token(['shelter_staff']))
        .expectProblem(403, 'FORBIDDEN');
      await post(journeyId, 'cooperation', fact)
        .as(await world.token(['legal_advisor'], ORGS.unrelated))
        .expectProblem(404, 'JOURNEY_NOT_FOUND');
      await post(v7(), 'cooperation', fact).as(caseworker).expectProblem(404, 'JOURNEY_NOT_FOUND');
      await http(world.app)
        .get(`/journeys/${journeyId}/legal`)
        .as(await world.token(['legal_advisor'], ORGS.legalAid))
        .expectProblem(404, 'JOURNEY_NOT_FOUND');
    });

    it('a legal advisor of a referred organisation records and reads once the referral is accepted', async () => {
      const { journeyId } = await world.openJourney();
      const advisor = await referToLegalAid(journeyId);
      await post(journeyId, 'legal-aid', {
        actingBody: { type: 'LegalAidAuthority', name: 'Legal aid board' },
        occurredOn: day(0),
        matters: ['criminal_proceedings'],
        freeOfCharge: true,
        lawyerName: 'A. Advocate',
      })
        .as(advisor)
        .expect(201);
      const view = await http(world.app)
        .get(`/journeys/${journeyId}/legal`)
        .as(advisor)
        .expect(200);
      expect(view.body).toMatchObject({
        legalAid: [{ freeOfCharge: true, lawyerName: 'A. Advocate' }],
      });
    });

    it('honours If-Match: a stale revision is 412, a current one is accepted', async () => {
      const { journeyId } = await world.openJourney();
      const fact = { actingBody: police, occurredOn: day(0), status: 'willing' };
      await post(journeyId, 'cooperation', fact).as(caseworker).expect(201);
      await post(journeyId, 'cooperation', fact)
        .as(caseworker)
        .header('if-match', '"5"')
        .expectProblem(412, 'PRECONDITION_FAILED');
      await post(journeyId, 'cooperation', fact)
        .as(caseworker)
        .header('if-match', '"0"')
        .expect(201);
    });

    it('replays a retried request with the same Idempotency-Key and writes nothing more', async () => {
      const { journeyId } = await world.openJourney();
      const first = await post(journeyId, 'protection-claims', {
        actingBody: immigration,
        occurredOn: day(0),
      })
        .as(caseworker)
        .header('idempotency-key', 'retry-1')
        .expect(201);
      const again = await post(journeyId, 'protection-claims', {
        actingBody: immigration,
        occurredOn: day(0),
      })
        .as(caseworker)
        .header('idempotency-key', 'retry-1')
        .expect(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await world.store.streamRevision(`legal-${journeyId}`)).toBe(0);
      await post(journeyId, 'protection-claims', { actingBody: police, occurredOn: day(0) })
        .as(caseworker)
        .header('idempotency-key', 'retry-1')
        .expectProblem(422, 'IDEMPOTENCY_KEY_REUSED');
    });
  });

  describe('filing a compensation claim: a decision', () => {
    const claim = {
      lodgedWith: { type: 'CompensationAuthority', name: 'State compensation fund' },
      forum: 'state_fund',
      against: 'state',
      amountClaimed: { amount: 12_000, currency: 'EUR' },
    };

    it("needs the person's services consent, and records the one relied on", async () => {
      const { journeyId } = await world.openJourney();
      const refused = await post(journeyId, 'compensation-claims', claim)
        .as(caseworker)
        .expectProblem(422, 'CONSENT_REQUIRED');
      expect(refused.field).toBe('consent');
      const consentId = await world.consent(journeyId);
      const filed = await post(journeyId, 'compensation-claims', claim).as(caseworker).expect(201);
      const { claimId } = filed.body as { claimId: string };
      const [stored] = await events(journeyId);
      expect(stored).toMatchObject({
        type: 'CompensationClaimFiled',
        data: { claimId, consentId },
      });
      await world.identification(journeyId, [
        { type: 'ConsentWithdrawn', data: { consentId, scope: 'services' } },
      ]);
      await post(journeyId, 'compensation-claims', claim)
        .as(caseworker)
        .expectProblem(422, 'CONSENT_WITHDRAWN');
    });

    it('a supervisor may file without consent, recording a reason; a caseworker may not', async () => {
      const { journeyId } = await world.openJourney();
      const overridden = { ...claim, overrideReason: 'The filing deadline ends today' };
      await post(journeyId, 'compensation-claims', overridden)
        .as(caseworker)
        .expectProblem(403, 'OVERRIDE_REQUIRES_SUPERVISOR');
      const supervisor = await world.token(['supervisor'], ORGS.outreach, 'supervisor-1');
      await post(journeyId, 'compensation-claims', overridden).as(supervisor).expect(201);
      const [stored] = await events(journeyId);
      expect(stored?.data).toMatchObject({
        override: {
          supervisorUserId: 'supervisor-1',
          reason: { $enc: 'aes-256-gcm/v1', category: 'notes' },
        },
      });
    });

    it('records a claim someone else filed as a fact, then its decision and payment', async () => {
      const { journeyId } = await world.openJourney();
      const { claimId } = (
        await post(journeyId, 'compensation-claims/filed-elsewhere', {
          ...claim,
          forum: 'criminal_proceedings',
          against: 'offender',
          lodgedWith: court,
          occurredOn: day(-30),
          filedBy: 'prosecutor',
        })
          .as(caseworker)
          .expect(201)
      ).body as { claimId: string };
      const pending = await http(world.app)
        .get(`/journeys/${journeyId}/legal`)
        .as(caseworker)
        .expect(200);
      expect(pending.body).toMatchObject({
        compensationClaims: [{ claimId, filedThroughWaypoint: false, status: 'pending' }],
        pending: { compensationClaims: [claimId] },
      });
      await post(journeyId, `compensation-claims/${claimId}/decisions`, {
        actingBody: court,
        occurredOn: day(-5),
        outcome: 'awarded',
        amountAwarded: { amount: 8_000, currency: 'EUR' },
      })
        .as(caseworker)
        .expect(201);
      await post(journeyId, `compensation-claims/${claimId}/payments`, {
        actingBody: { type: 'CompensationAuthority', name: 'State fund' },
        occurredOn: day(0),
        final: true,
      })
        .as(caseworker)
        .expect(201);
      const paid = await http(world.app)
        .get(`/journeys/${journeyId}/legal`)
        .as(caseworker)
        .expect(200);
      expect(paid.body).toMatchObject({
        compensationClaims: [
          { claimId, status: 'paid', decisions: [{ amountAwarded: { amount: 8_000 } }] },
        ],
        pending: { compensationClaims: [] },
      });
    });
  });

  describe('reading the legal status', () => {
    it('decrypts the categories a role may read, hides the rest, and records every read', async () => {
      const { journeyId } = await world.openJourney();
      await post(
        journeyId,
        'reflection-periods',
        period({ start: day(-5), end: day(40), reference: 'RRP-2026-0042' }),
      )
        .as(caseworker)
        .expect(201);
      const { claimId } = (
        await post(journeyId, 'protection-claims', {
          actingBody: immigration,
          occurredOn: day(-2),
          notes: 'Fears reprisals at home',
        })
          .as(caseworker)
          .expect(201)
      ).body as { claimId: string };
      const full = await http(world.app)
        .get(`/journeys/${journeyId}/legal`)
        .as(caseworker)
        .expect(200);
      expect(full.headers.etag).toBe('"1"');
      expect(full.body).toMatchObject({
        reflectionPeriod: { end: day(40), status: 'running', reference: 'RRP-2026-0042' },
        protectionClaims: [{ claimId, status: 'pending', notes: 'Fears reprisals at home' }],
        pending: { protectionClaims: [claimId] },
      });
      const reintegration = await world.token(
        ['reintegration_officer'],
        ORGS.outreach,
        'reintegration-1',
      );
      const partial = await http(world.app)
        .get(`/journeys/${journeyId}/legal`)
        .as(reintegration)
        .expect(200);
      expect(partial.body).toMatchObject({
        reflectionPeriod: { end: day(40), reference: { $hidden: 'restricted', category: 'legal' } },
        protectionClaims: [{ claimId, notes: 'Fears reprisals at home' }],
      });
      const reads = await collect(world.store.readStream(`access-legal-${journeyId}`));
      expect(
        reads.map((read) => [read.data.userId, read.data.categories, read.data.route]),
      ).toEqual([
        [
          expect.stringContaining('caseworker'),
          ['legal', 'notes'],
          'GET /journeys/:journeyId/legal',
        ],
        ['reintegration-1', ['notes'], 'GET /journeys/:journeyId/legal'],
      ]);
    });

    it('answers an empty status for a journey with nothing recorded yet', async () => {
      const { journeyId } = await world.openJourney();
      const read = await http(world.app)
        .get(`/journeys/${journeyId}/legal`)
        .as(caseworker)
        .expect(200);
      expect(read.body).toMatchObject({ journeyId, revision: null, reflectionPeriods: [] });
      expect(read.headers.etag).toBeUndefined();
    });

    it("shows erased values once the person's keys are destroyed, without breaking the read", async () => {
      const { journeyId, personId } = await world.openJourney();
      await post(journeyId, 'reflection-periods', period({ reference: 'RRP-1' }))
        .as(caseworker)
        .expect(201);
      await world.keys.destroy(personId, ['legal'], 'erasure-request');
      const read = await http(world.app)
        .get(`/journeys/${journeyId}/legal`)
        .as(caseworker)
        .expect(200);
      expect(read.body).toMatchObject({
        reflectionPeriod: { start: day(-20), reference: { $hidden: 'erased', category: 'legal' } },
      });
    });
  });

  describe('corrections', () => {
    it('a retracted removal no longer counts; an amended period counts with its corrected end', async () => {
      const { journeyId } = await world.openJourney();
      const { periodId } = (
        await post(journeyId, 'reflection-periods', period()).as(caseworker).expect(201)
      ).body as { periodId: string };
      await post(journeyId, 'removals', {
        actingBody: immigration,
        occurredOn: day(-1),
        kind: 'return',
      })
        .as(caseworker)
        .expect(201);
      const [grant, removal] = await events(journeyId);
      await post(journeyId, 'retractions', {
        retractedEventId: removal?.id,
        reasonCode: 'wrong-journey',
        explanation: 'Another person of the same name',
      })
        .as(caseworker)
        .expect(201);
      await post(journeyId, 'amendments', {
        amendedEventId: grant?.id,
        reasonCode: 'data-entry-error',
        replacement: { ...period({ end: day(30), reference: 'RRP-7' }), periodId },
      })
        .as(caseworker)
        .expect(201);
      const invalid = await post(journeyId, 'amendments', {
        amendedEventId: grant?.id,
        reasonCode: 'data-entry-error',
        replacement: { ...period(), periodId, start: 'yesterday' },
      })
        .as(caseworker)
        .expectProblem(422, 'AMENDMENT_INVALID');
      expect(invalid.field).toBe('replacement.start');
      const stored = await events(journeyId);
      expect(JSON.stringify(stored)).not.toContain('RRP-7');
      expect(JSON.stringify(stored)).not.toContain('same name');
      const view = await http(world.app)
        .get(`/journeys/${journeyId}/legal`)
        .as(caseworker)
        .expect(200);
      expect(view.body).toMatchObject({
        removals: [],
        reflectionPeriod: { periodId, end: day(30), reference: 'RRP-7' },
        corrections: [
          { kind: 'retraction', targetEventId: removal?.id },
          { kind: 'amendment', targetEventId: grant?.id },
        ],
      });
    });
  });

  it('never writes a personal value to the log, nor in clear to the store', async () => {
    const canary = `Canary${v7().replace(/-/g, '')}`;
    const { journeyId } = await world.openJourney();
    await world.consent(journeyId);
    await post(journeyId, 'charges', {
      actingBody: police,
      occurredOn: day(0),
      offence: 'theft',
      linkedToTrafficking: 'unknown',
      description: canary,
      reference: canary,
      notes: canary,
    })
      .as(caseworker)
      .expect(201);
    await post(journeyId, 'compensation-claims', {
      lodgedWith: court,
      forum: 'civil_court',
      against: 'employer',
      reference: canary,
      notes: canary,
    })
      .as(caseworker)
      .expect(201);
    await post(journeyId, 'detentions', {
      actingBody: police,
      occurredOn: day(0),
      kind: 'criminal',
      place: canary,
      extra: 1,
    })
      .as(caseworker)
      .expect(201);
    await post(journeyId, 'detentions', { actingBody: police, occurredOn: 'today', place: canary })
      .as(caseworker)
      .expectProblem(400, 'VALIDATION_FAILED');
    const read = await http(world.app)
      .get(`/journeys/${journeyId}/legal`)
      .as(caseworker)
      .expect(200);
    expect(read.text).toContain(canary);
    expect(world.logs.length).toBeGreaterThan(0);
    expect(world.logs.join('\n')).not.toContain(canary);
    const stored = await collect(world.store.readAll());
    expect(JSON.stringify(stored)).not.toContain(canary);
  });
});
