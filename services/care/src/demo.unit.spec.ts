import { familyCodec, identificationFamily, type IdentificationEvent } from '@waypoint/contracts';
import { evolveJourney, initialState, type JourneyState } from '@waypoint/journey-facts';
import { http } from '@waypoint/service-kit/testing';
import type { FastifyRequest } from 'fastify';
import { v7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoJourney, type DemoUserName } from './demo.js';
import { ORGS, testWorld, type TestWorld } from './testing/test-app.js';

const codec = familyCodec(identificationFamily);

/**
 * The demo through the care API, with the few identification routes it uses stood in for by
 * appending the identification events those routes would record.
 */
describe('the care demo', () => {
  let world: TestWorld;
  beforeEach(async () => {
    const appendFor = async (request: FastifyRequest, event: IdentificationEvent) => {
      const { journeyId } = request.params as { journeyId: string };
      await world.identification(journeyId, [event]);
    };
    world = await testWorld({
      alongside: (app) => {
        const access = { access: { roles: ['caseworker', 'care_provider'] as const } };
        app.get('/organisations', { config: access }, () => ({
          organisations: [
            {
              orgId: ORGS.clinic,
              name: 'City Clinic',
              type: 'HealthServiceOrganisation',
              acceptsReferrals: true,
            },
          ],
        }));
        app.get('/journeys/:journeyId/identification', { config: access }, async (request) => {
          const { journeyId } = request.params as { journeyId: string };
          let state: JourneyState = initialState();
          for await (const event of world.store.readStream(`identification-${journeyId}`))
            state = evolveJourney(state, codec.decode(event));
          const consents = state.status === 'open' ? state.consents : [];
          return {
            consents: consents.map((consent) => ({
              scope: consent.scope,
              ...(consent.withdrawn ? { withdrawnAt: '2026-01-01T00:00:00.000Z' } : {}),
            })),
          };
        });
        app.post('/journeys/:journeyId/consents', { config: access }, async (request) => {
          await appendFor(request, { type: 'ConsentRecorded', data: request.body as never });
          return {};
        });
        app.post('/journeys/:journeyId/referrals', { config: access }, async (request) => {
          const referralId = v7();
          await appendFor(request, {
            type: 'ReferralMade',
            data: { ...(request.body as object), referralId } as never,
          });
          return { referralId };
        });
        app.post(
          '/journeys/:journeyId/referrals/:referralId/acceptance',
          { config: access },
          async (request) => {
            const { referralId } = request.params as { referralId: string };
            await appendFor(request, {
              type: 'ReferralAccepted',
              data: { referralId, byOrgId: request.principal.orgId },
            });
            return {};
          },
        );
      },
    });
  });
  afterEach(async () => {
    await world.close();
  });

  const token = async (user: DemoUserName): Promise<string> =>
    user === 'care'
      ? world.token(['care_provider'], ORGS.clinic)
      : world.token([user === 'supervisor' ? 'supervisor' : 'caseworker'], ORGS.outreach);

  it('records a lawful path: a plan, care delivered per type, the clinic seeing the journey', async () => {
    const { journeyId } = await world.journey();
    await demoJourney(world.app, token, journeyId);
    const services = await http(world.app)
      .get(`/journeys/${journeyId}/care/services`)
      .as(await token('care'))
      .expect(200);
    expect(services.body).toMatchObject({
      assistance: { status: 'assisting' },
      byType: [
        { supportPlanType: 'Health', careCodes: { emergency_medical: 1, psychological: 1 } },
        {
          supportPlanType: 'SocialCare',
          careCodes: { accommodation: 1, interpretation: 1, counselling: 1 },
        },
      ],
      authorisations: [{ careCode: 'psychological', legalBasis: 'consent' }],
    });
    const plans = await http(world.app)
      .get(`/journeys/${journeyId}/care/plans`)
      .as(await token('caseworker'))
      .expect(200);
    expect(plans.body).toMatchObject({
      plans: [{ legalBasis: 'consent', progress: { achieved: 1, in_progress: 1, not_started: 2 } }],
    });
  });

  it('records a services consent first when the journey has none, and with `breach` ends assistance for non-cooperation', async () => {
    const { journeyId } = await world.journey({ servicesConsent: false });
    await demoJourney(world.app, token, journeyId, true);
    const services = await http(world.app)
      .get(`/journeys/${journeyId}/care/services`)
      .as(await token('caseworker'))
      .expect(200);
    expect(services.body).toMatchObject({
      assistance: { status: 'ended', endings: [{ reason: 'non_cooperation' }] },
    });
  });
});
