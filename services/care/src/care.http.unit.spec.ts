import { collect } from '@waypoint/eventstore/contract';
import { http } from '@waypoint/service-kit/testing';
import { v7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ORGS, testWorld, type TestWorld } from './testing/test-app.js';

const clinic = { orgId: ORGS.clinic, name: 'City Clinic', type: 'HealthServiceOrganisation' };
const delivery = (overrides: Record<string, unknown> = {}) => ({
  careCode: 'psychological',
  provider: clinic,
  language: 'ti',
  interpreterUsed: true,
  deliveredAt: '2026-01-10T09:00:00.000Z',
  ...overrides,
});

interface Revealed {
  [key: string]: unknown;
}

describe('care over HTTP', () => {
  let world: TestWorld;
  let caseworker: string;
  let supervisor: string;
  beforeEach(async () => {
    world = await testWorld();
    caseworker = await world.token(['caseworker']);
    supervisor = await world.token(['supervisor']);
  });
  afterEach(async () => {
    await world.close();
  });

  describe('care plans: a decision on consent', () => {
    it('draws up a plan on the services consent, answers its ids and shows it with progress', async () => {
      const { journeyId, servicesConsentId } = await world.journey();
      const created = await http(world.app)
        .post(`/journeys/${journeyId}/care/plans`, {
          summary: 'Stabilise and inform',
          reviewDate: '2026-09-01',
          objectives: [
            { careCode: 'accommodation', description: 'A safe room' },
            { careCode: 'psychological', targetDate: '2026-08-01' },
          ],
        })
        .as(caseworker)
        .expect(201);
      const { planId, objectiveIds, revision } = created.body as {
        planId: string;
        objectiveIds: string[];
        revision: number;
      };
      expect(revision).toBe(2);
      expect(created.headers.etag).toBe('"2"');
      await http(world.app)
        .post(
          `/journeys/${journeyId}/care/plans/${planId}/objectives/${objectiveIds[0]!}/progress`,
          {
            status: 'achieved',
            note: 'Moved in',
          },
        )
        .as(caseworker)
        .expect(201);
      const added = await http(world.app)
        .post(`/journeys/${journeyId}/care/plans/${planId}/objectives`, { careCode: 'education' })
        .as(caseworker)
        .expect(201);

      const read = await http(world.app)
        .get(`/journeys/${journeyId}/care/plans`)
        .as(caseworker)
        .expect(200);
      expect(read.headers.etag).toBe('"4"');
      expect(read.body).toMatchObject({
        journeyId,
        assistance: { status: 'assisting' },
        plans: [
          {
            planId,
            legalBasis: 'consent',
            consentId: servicesConsentId,
            summary: 'Stabilise and inform',
            progress: { achieved: 1, not_started: 2 },
            objectives: [
              {
                objectiveId: objectiveIds[0],
                careCode: 'accommodation',
                supportPlanType: 'SocialCare',
                description: 'A safe room',
                status: 'achieved',
                progress: [{ status: 'achieved', note: 'Moved in' }],
              },
              { careCode: 'psychological', supportPlanType: 'Health', status: 'not_started' },
              {
                objectiveId: (added.body as { objectiveId: string }).objectiveId,
                supportPlanType: 'Education',
              },
            ],
          },
        ],
      });
    });

    it('refuses to plan without a valid services consent, naming the field to change', async () => {
      const { journeyId } = await world.journey({ servicesConsent: false });
      const problem = await http(world.app)
        .post(`/journeys/${journeyId}/care/plans`, { objectives: [{ careCode: 'counselling' }] })
        .as(caseworker)
        .expectProblem(422, 'SERVICES_CONSENT_REQUIRED');
      expect(problem.field).toBe('legalBasis');
      expect(await world.store.streamRevision(`care-${journeyId}`)).toBeNull();
    });

    it('refuses once the consent is withdrawn, yet records care already delivered as a fact', async () => {
      const { journeyId, servicesConsentId } = await world.journey();
      await world.identification(journeyId, [
        { type: 'ConsentWithdrawn', data: { consentId: servicesConsentId!, scope: 'services' } },
      ]);
      await http(world.app)
        .post(`/journeys/${journeyId}/care/authorisations`, { careCode: 'counselling' })
        .as(caseworker)
        .expectProblem(422, 'SERVICES_CONSENT_WITHDRAWN');
      await http(world.app)
        .post(`/journeys/${journeyId}/care/deliveries`, delivery({ careCode: 'counselling' }))
        .as(caseworker)
        .expect(201);
    });

    it('a supervisor may plan without consent, recording a reason; a caseworker may not', async () => {
      const { journeyId } = await world.journey({ servicesConsent: false });
      const body = {
        objectives: [{ careCode: 'psychological' }],
        legalBasis: 'supervisor_override',
        overrideReason: 'Guardian not yet appointed; acute distress',
      };
      await http(world.app)
        .post(`/journeys/${journeyId}/care/plans`, body)
        .as(caseworker)
        .expectProblem(403, 'OVERRIDE_REQUIRES_SUPERVISOR');
      await http(world.app)
        .post(`/journeys/${journeyId}/care/plans`, { ...body, overrideReason: undefined })
        .as(supervisor)
        .expectProblem(422, 'OVERRIDE_REASON_REQUIRED');
      await http(world.app)
        .post(`/journeys/${journeyId}/care/plans`, body)
        .as(supervisor)
        .expect(201);
      const read = await http(world.app)
        .get(`/journeys/${journeyId}/care/plans`)
        .as(supervisor)
        .expect(200);
      expect(read.body).toMatchObject({
        plans: [
          {
            legalBasis: 'supervisor_override',
            override: {
              supervisorUserId: expect.stringContaining('supervisor'),
              reason: 'Guardian not yet appointed; acute distress',
            },
          },
        ],
      });
    });

    it('authorises emergency medical care on a vital-interest basis without consent, and nothing else', async () => {
      const { journeyId } = await world.journey({ servicesConsent: false });
      await http(world.app)
        .post(`/journeys/${journeyId}/care/authorisations`, {
          careCode: 'emergency_medical',
          provider: clinic,
          legalBasis: 'vital_interest',
        })
        .as(caseworker)
        .expect(201);
      await http(world.app)
        .post(`/journeys/${journeyId}/care/authorisations`, {
          careCode: 'psychological',
          legalBasis: 'vital_interest',
        })
        .as(caseworker)
        .expectProblem(422, 'VITAL_INTEREST_ONLY_FOR_EMERGENCY_MEDICAL');
      const read = await http(world.app)
        .get(`/journeys/${journeyId}/care/services`)
        .as(caseworker)
        .expect(200);
      expect(read.body).toMatchObject({
        authorisations: [
          {
            careCode: 'emergency_medical',
            supportPlanType: 'Health',
            legalBasis: 'vital_interest',
          },
        ],
      });
    });
  });

  describe('care delivered: a recorded fact', () => {
    it('groups services per HTCDS support-plan type with their finer codes', async () => {
      const { journeyId } = await world.journey();
      const deliveries = [
        delivery({
          careCode: 'emergency_medical',
          vitalInterest: true,
          deliveredAt: '2026-01-01T08:00:00.000Z',
        }),
        delivery({ careCode: 'psychological' }),
        delivery({ careCode: 'interpretation', provider: { name: 'Interpreters' } }),
        delivery({
          careCode: 'x-peer-support',
          supportPlanType: 'SocialCare',
          provider: { name: 'Peers' },
        }),
      ];
      for (const body of deliveries)
        await http(world.app)
          .post(`/journeys/${journeyId}/care/deliveries`, body)
          .as(caseworker)
          .expect(201);
      const read = await http(world.app)
        .get(`/journeys/${journeyId}/care/services`)
        .as(caseworker)
        .expect(200);
      expect(read.body).toMatchObject({
        byType: [
          {
            supportPlanType: 'Health',
            deliveries: 2,
            careCodes: { emergency_medical: 1, psychological: 1 },
            firstDeliveredAt: '2026-01-01T08:00:00.000Z',
            items: [
              { careCode: 'emergency_medical', vitalInterest: true },
              { careCode: 'psychological' },
            ],
          },
          {
            supportPlanType: 'SocialCare',
            deliveries: 2,
            careCodes: { interpretation: 1, 'x-peer-support': 1 },
          },
        ],
      });
      const stored = await collect(world.store.readStream(`care-${journeyId}`));
      expect(stored[0]?.metadata.occurredAt).toBe('2026-01-01T08:00:00.000Z');
    });

    it('refuses a local code without its support-plan type, and a standard code with the wrong one', async () => {
      const { journeyId } = await world.journey();
      const problem = await http(world.app)
        .post(`/journeys/${journeyId}/care/deliveries`, delivery({ careCode: 'x-peer-support' }))
        .as(caseworker)
        .expectProblem(422, 'SUPPORT_PLAN_TYPE_REQUIRED');
      expect(problem.field).toBe('supportPlanType');
      await http(world.app)
        .post(
          `/journeys/${journeyId}/care/deliveries`,
          delivery({ careCode: 'psychological', supportPlanType: 'Legal' }),
        )
        .as(caseworker)
        .expectProblem(422, 'SUPPORT_PLAN_TYPE_MISMATCH');
    });

    it('rejects a malformed delivery naming the field', async () => {
      const { journeyId } = await world.journey();
      const problem = await http(world.app)
        .post(`/journeys/${journeyId}/care/deliveries`, delivery({ language: 'Tigrinya' }))
        .as(caseworker)
        .expectProblem(400, 'VALIDATION_FAILED');
      expect(problem.field).toBe('body.language');
      const unknownCode = await http(world.app)
        .post(`/journeys/${journeyId}/care/plans`, { objectives: [{ careCode: 'massage' }] })
        .as(caseworker)
        .expectProblem(400, 'VALIDATION_FAILED');
      expect(unknownCode.field).toBe('body.objectives.0.careCode');
    });

    it('takes when care was given as occurredAt (kept as deliveredAt), and answers the event id', async () => {
      const { journeyId } = await world.journey();
      const answer = await http(world.app)
        .post(
          `/journeys/${journeyId}/care/deliveries`,
          delivery({
            careCode: 'counselling',
            deliveredAt: undefined,
            occurredAt: '2026-02-01T10:00:00+02:00',
          }),
        )
        .as(caseworker)
        .expect(201);
      const stored = await collect(world.store.readStream(`care-${journeyId}`));
      const delivered = stored.find((event) => event.type === 'CareDelivered');
      expect(answer.body).toMatchObject({ eventIds: [delivered?.id] });
      expect(delivered?.data).toMatchObject({ deliveredAt: '2026-02-01T08:00:00.000Z' });
      expect(delivered?.data).not.toHaveProperty('occurredAt');
      expect(delivered?.metadata.occurredAt).toBe('2026-02-01T08:00:00.000Z');
    });

    it('refuses a delivery in the future or in year 0000, and an occurredAt that contradicts deliveredAt', async () => {
      const { journeyId } = await world.journey();
      for (const when of [
        { deliveredAt: undefined, occurredAt: new Date(Date.now() + 3_600_000).toISOString() },
        { deliveredAt: '0000-01-01T00:00:00Z' },
        { deliveredAt: '2026-02-01T08:00:00Z', occurredAt: '2026-02-01T09:00:00Z' },
      ]) {
        const problem = await http(world.app)
          .post(`/journeys/${journeyId}/care/deliveries`, delivery(when))
          .as(caseworker)
          .expectProblem(400, 'VALIDATION_FAILED');
        expect(problem.field, JSON.stringify(when)).toBe(
          'occurredAt' in when ? 'body.occurredAt' : 'body.deliveredAt',
        );
      }
    });

    it("ends assistance for non-cooperation only on a supervisor's override, and refuses a second end", async () => {
      const { journeyId } = await world.journey();
      const body = {
        reason: 'non_cooperation',
        endedBy: { name: 'Harbour Outreach', orgId: ORGS.outreach, type: 'NGO' },
        explanation: 'Declined to make a statement',
      };
      const overridden = { ...body, overrideReason: 'Programme funding ended' };
      await http(world.app)
        .post(`/journeys/${journeyId}/care/assistance-end`, body)
        .as(caseworker)
        .expectProblem(422, 'ASSISTANCE_CONDITIONAL_ON_COOPERATION');
      await http(world.app)
        .post(`/journeys/${journeyId}/care/assistance-end`, overridden)
        .as(caseworker)
        .expectProblem(403, 'OVERRIDE_REQUIRES_SUPERVISOR');
      await http(world.app)
        .post(`/journeys/${journeyId}/care/assistance-end`, overridden)
        .as(supervisor)
        .expect(201);
      await http(world.app)
        .post(`/journeys/${journeyId}/care/assistance-end`, overridden)
        .as(supervisor)
        .expectProblem(409, 'ASSISTANCE_ALREADY_ENDED');
      const read = await http(world.app)
        .get(`/journeys/${journeyId}/care/services`)
        .as(supervisor)
        .expect(200);
      expect(read.body).toMatchObject({
        assistance: {
          status: 'ended',
          endings: [
            {
              reason: 'non_cooperation',
              explanation: 'Declined to make a statement',
              override: {
                supervisorUserId: expect.stringContaining('supervisor'),
                reason: 'Programme funding ended',
              },
            },
          ],
        },
      });
    });
  });

  describe('who may record and read', () => {
    it('lets a data-protection officer of another organisation read the journey, never change it', async () => {
      const { journeyId } = await world.journey();
      // The DPO role makes the journey visible; a writer role beside it must not turn that into writes.
      const dpoWriter = await world.token(
        ['care_provider', 'data_protection_officer'],
        ORGS.unrelated,
      );
      await http(world.app).get(`/journeys/${journeyId}/care/plans`).as(dpoWriter).expect(200);
      await http(world.app)
        .post(`/journeys/${journeyId}/care/deliveries`, delivery())
        .as(dpoWriter)
        .expectProblem(403, 'JOURNEY_READ_ONLY');
      const events = [];
      for await (const event of world.store.readStream(`care-${journeyId}`)) events.push(event);
      expect(events).toEqual([]);
    });

    it('answers 401 without a token, 403 for a role that may not record, 404 for a journey the caller does not see or that does not exist', async () => {
      const { journeyId } = await world.journey();
      const url = `/journeys/${journeyId}/care/deliveries`;
      await http(world.app).post(url, delivery()).expectProblem(401, 'UNAUTHENTICATED');
      await http(world.app)
        .post(url, delivery())
        .as(await world.token(['shelter_staff']))
        .expectProblem(403, 'FORBIDDEN');
      await http(world.app)
        .post(url, delivery())
        .as(await world.token(['caseworker'], ORGS.unrelated))
        .expectProblem(404, 'JOURNEY_NOT_FOUND');
      await http(world.app)
        .post(`/journeys/${v7()}/care/deliveries`, delivery())
        .as(caseworker)
        .expectProblem(404, 'JOURNEY_NOT_FOUND');
      await http(world.app)
        .get(`/journeys/${journeyId}/care/plans`)
        .as(await world.token(['care_provider'], ORGS.clinic))
        .expectProblem(404, 'JOURNEY_NOT_FOUND');
    });

    it('lets a care provider record once a referral to its organisation was accepted', async () => {
      const { journeyId } = await world.journey({ referToClinic: true });
      const provider = await world.token(['care_provider'], ORGS.clinic);
      await http(world.app)
        .post(`/journeys/${journeyId}/care/deliveries`, delivery())
        .as(provider)
        .expect(201);
      await http(world.app).get(`/journeys/${journeyId}/care/services`).as(provider).expect(200);
    });

    it('honours If-Match: a stale revision is 412, the current one is accepted', async () => {
      const { journeyId } = await world.journey();
      await http(world.app)
        .post(`/journeys/${journeyId}/care/deliveries`, delivery())
        .as(caseworker)
        .header('if-match', '"3"')
        .expectProblem(412, 'PRECONDITION_FAILED');
      await http(world.app)
        .post(`/journeys/${journeyId}/care/deliveries`, delivery())
        .as(caseworker)
        .expect(201);
      await http(world.app)
        .post(`/journeys/${journeyId}/care/deliveries`, delivery())
        .as(caseworker)
        .header('if-match', '"0"')
        .expect(201);
    });

    it('replays a retried request with the same Idempotency-Key and writes nothing more', async () => {
      const { journeyId } = await world.journey();
      const first = await http(world.app)
        .post(`/journeys/${journeyId}/care/deliveries`, delivery())
        .as(caseworker)
        .header('idempotency-key', 'retry-1')
        .expect(201);
      const again = await http(world.app)
        .post(`/journeys/${journeyId}/care/deliveries`, delivery())
        .as(caseworker)
        .header('idempotency-key', 'retry-1')
        .expect(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await world.store.streamRevision(`care-${journeyId}`)).toBe(0);
      await http(world.app)
        .post(`/journeys/${journeyId}/care/deliveries`, delivery({ careCode: 'counselling' }))
        .as(caseworker)
        .header('idempotency-key', 'retry-1')
        .expectProblem(422, 'IDEMPOTENCY_KEY_REUSED');
    });

    it('shows each role the categories it may read, hides the rest, and records every read', async () => {
      const { journeyId } = await world.journey();
      await http(world.app)
        .post(
          `/journeys/${journeyId}/care/deliveries`,
          delivery({
            clinicalDetails: 'Panic attacks at night',
            notes: 'Prefers a female therapist',
          }),
        )
        .as(caseworker)
        .expect(201);
      const full = await http(world.app)
        .get(`/journeys/${journeyId}/care/services`)
        .as(caseworker)
        .expect(200);
      expect(full.body).toMatchObject({
        byType: [
          {
            items: [
              { clinicalDetails: 'Panic attacks at night', notes: 'Prefers a female therapist' },
            ],
          },
        ],
      });
      const shelter = await http(world.app)
        .get(`/journeys/${journeyId}/care/services`)
        .as(await world.token(['shelter_staff']))
        .expect(200);
      expect(shelter.body).toMatchObject({
        byType: [
          {
            supportPlanType: 'Health',
            items: [
              {
                careCode: 'psychological',
                clinicalDetails: { $hidden: 'restricted', category: 'health' },
                notes: 'Prefers a female therapist',
              },
            ],
          },
        ],
      });
      const reads = await collect(world.store.readStream(`access-care-${journeyId}`));
      expect(reads.map((entry) => [entry.data.route, entry.data.categories])).toEqual([
        ['GET /journeys/:journeyId/care/services', ['health', 'notes']],
        ['GET /journeys/:journeyId/care/services', ['notes']],
      ]);
    });

    it("shows erased values once the person's keys are destroyed, without breaking the read", async () => {
      const { journeyId, personId } = await world.journey();
      await http(world.app)
        .post(`/journeys/${journeyId}/care/deliveries`, delivery({ clinicalDetails: 'Fracture' }))
        .as(caseworker)
        .expect(201);
      await world.keys.destroy(personId, ['health'], 'erasure-request');
      const read = await http(world.app)
        .get(`/journeys/${journeyId}/care/services`)
        .as(caseworker)
        .expect(200);
      const items = ((read.body as { byType: { items: Revealed[] }[] }).byType[0]?.items ?? [])[0];
      expect(items?.clinicalDetails).toEqual({ $hidden: 'erased', category: 'health' });
    });
  });

  describe('corrections', () => {
    it('a retracted delivery no longer counts; an amended one counts with its new data', async () => {
      const { journeyId } = await world.journey();
      await http(world.app)
        .post(`/journeys/${journeyId}/care/deliveries`, delivery({ careCode: 'counselling' }))
        .as(caseworker)
        .expect(201);
      const kept = await http(world.app)
        .post(`/journeys/${journeyId}/care/deliveries`, delivery({ clinicalDetails: 'Old note' }))
        .as(caseworker)
        .expect(201);
      const events = await collect(world.store.readStream(`care-${journeyId}`));
      const [first, second] = events;
      await http(world.app)
        .post(`/journeys/${journeyId}/care/retractions`, {
          retractedEventId: first?.id,
          reasonCode: 'duplicate',
          explanation: 'Entered twice',
        })
        .as(caseworker)
        .expect(201);
      const { deliveryId } = kept.body as { deliveryId: string };
      await http(world.app)
        .post(`/journeys/${journeyId}/care/amendments`, {
          amendedEventId: second?.id,
          reasonCode: 'data-entry-error',
          replacement: {
            ...delivery({ clinicalDetails: 'Corrected note', language: 'am' }),
            deliveryId,
            supportPlanType: 'Health',
            vitalInterest: false,
          },
        })
        .as(caseworker)
        .expect(201);
      await http(world.app)
        .post(`/journeys/${journeyId}/care/amendments`, {
          amendedEventId: second?.id,
          reasonCode: 'data-entry-error',
          replacement: { ...delivery(), deliveryId: v7(), supportPlanType: 'Health' },
        })
        .as(caseworker)
        .expectProblem(422, 'AMENDMENT_CHANGES_ID');
      const read = await http(world.app)
        .get(`/journeys/${journeyId}/care/services`)
        .as(caseworker)
        .expect(200);
      expect(read.body).toMatchObject({
        byType: [
          {
            supportPlanType: 'Health',
            deliveries: 1,
            items: [{ deliveryId, language: 'am', clinicalDetails: 'Corrected note' }],
          },
        ],
        corrections: [
          { kind: 'retraction', targetEventId: first?.id, reasonCode: 'duplicate' },
          { kind: 'amendment', targetEventId: second?.id },
        ],
      });
      expect((read.body as { byType: unknown[] }).byType).toHaveLength(1);
      expect(
        JSON.stringify(await collect(world.store.readStream(`care-${journeyId}`))),
      ).not.toContain('Corrected note');
    });
  });

  it('never writes a personal value to the log, nor in clear to the store', async () => {
    const canary = `Canary${v7().replace(/-/g, '')}`;
    const { journeyId } = await world.journey();
    await http(world.app)
      .post(`/journeys/${journeyId}/care/plans`, {
        summary: `${canary} summary`,
        objectives: [{ careCode: 'psychological', description: `${canary} objective` }],
      })
      .as(caseworker)
      .expect(201);
    await http(world.app)
      .post(
        `/journeys/${journeyId}/care/deliveries`,
        delivery({ clinicalDetails: `${canary} clinical`, notes: `${canary} notes` }),
      )
      .as(caseworker)
      .expect(201);
    await http(world.app)
      .post(`/journeys/${journeyId}/care/assistance-end`, {
        reason: 'person_request',
        endedBy: { name: 'Harbour Outreach' },
        explanation: `${canary} explanation`,
      })
      .as(caseworker)
      .expect(201);
    await http(world.app)
      .post(
        `/journeys/${journeyId}/care/deliveries`,
        delivery({ clinicalDetails: canary, language: 42 }),
      )
      .as(caseworker)
      .expectProblem(400, 'VALIDATION_FAILED');
    const read = await http(world.app)
      .get(`/journeys/${journeyId}/care/services`)
      .as(caseworker)
      .expect(200);
    expect(read.text).toContain(`${canary} clinical`);
    await http(world.app).get(`/journeys/${journeyId}/care/plans`).as(caseworker).expect(200);
    expect(world.logs.length).toBeGreaterThan(0);
    expect(world.logs.join('\n')).not.toContain(canary);
    const stored = await collect(world.store.readStream(`care-${journeyId}`));
    expect(stored.length).toBe(4);
    expect(JSON.stringify(stored)).not.toContain(canary);
    expect(JSON.stringify(stored)).toContain('aes-256-gcm/v1');
  });
});
