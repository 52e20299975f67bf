import { http } from '@waypoint/service-kit/testing';
import { v7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ORGS, testWorld, type TestWorld } from '../testing/test-app.js';

const person = {
  identity: { givenName: 'Amara', familyName: 'Okafor', birthDate: '1994-09-17' },
  gender: 'Feminine',
  ageBand: '30-38',
  child: 'no',
  citizenship: ['NG'],
  languages: ['en'],
};
const sharingConsent = () => ({
  consentId: v7(),
  scope: 'sharing',
  givenBy: 'self',
  informedOf: ['purpose', 'how_to_withdraw'],
});
const referralTo = (toOrgId: string, consentId: string) => ({
  toOrgId,
  reason: 'AdditionalServicesRequired',
  consentId,
});

describe('reading a journey outside the normal access never lets the reader change it', () => {
  let world: TestWorld;
  let clock: Date;
  let opener: string;
  let journeyId: string;
  beforeEach(async () => {
    clock = new Date();
    world = await testWorld({ now: () => clock });
    opener = await world.token(['caseworker']);
    const registered = await http(world.app).post('/persons', person).as(opener).expect(201);
    const { personId } = registered.body as { personId: string };
    const opened = await http(world.app)
      .post('/journeys', { personId, jurisdiction: 'NL' })
      .as(opener)
      .expect(201);
    journeyId = (opened.body as { journeyId: string }).journeyId;
  });
  afterEach(async () => {
    await world.close();
  });

  it('a break-glass opening reads only: no consent, no referral, no fact, and no access once it ends', async () => {
    const outsider = await world.token(['caseworker', 'supervisor'], ORGS.unrelated, 'outsider');
    await http(world.app)
      .post(`/journeys/${journeyId}/break-glass`, { reason: 'Arrived at our shelter at night' })
      .as(outsider)
      .expect(201);
    await http(world.app).get(`/journeys/${journeyId}/identification`).as(outsider).expect(200);

    // The attack: a sharing consent and a referral that would outlast the opening.
    const consent = sharingConsent();
    await http(world.app)
      .post(`/journeys/${journeyId}/consents`, consent)
      .as(outsider)
      .expectProblem(403, 'JOURNEY_READ_ONLY');
    await http(world.app)
      .post(`/journeys/${journeyId}/referrals`, {
        toOrgId: ORGS.shelter,
        reason: 'AdditionalServicesRequired',
        overrideReason: 'Immediate danger',
      })
      .as(outsider)
      .expectProblem(403, 'JOURNEY_READ_ONLY');
    await http(world.app)
      .post(`/journeys/${journeyId}/first-contact`, { channel: 'ngo' })
      .as(outsider)
      .expectProblem(403, 'JOURNEY_READ_ONLY');

    const seen = await http(world.app)
      .get(`/journeys/${journeyId}/identification`)
      .as(opener)
      .expect(200);
    expect(seen.body).toMatchObject({ consents: [], referrals: [] });

    clock = new Date(clock.getTime() + 61 * 60_000);
    await http(world.app)
      .get(`/journeys/${journeyId}/identification`)
      .as(outsider)
      .expectProblem(404, 'JOURNEY_NOT_FOUND');
  });

  it('the data-protection officer and an auditor within a mandate read, and change nothing', async () => {
    const dpo = await world.token(['data_protection_officer', 'caseworker'], ORGS.unrelated, 'dpo');
    await http(world.app).get(`/journeys/${journeyId}/identification`).as(dpo).expect(200);
    await http(world.app)
      .post(`/journeys/${journeyId}/consents`, sharingConsent())
      .as(dpo)
      .expectProblem(403, 'JOURNEY_READ_ONLY');

    const admin = await world.token(['admin']);
    await http(world.app)
      .post('/auditor-mandates', {
        auditorUserId: 'auditor-1',
        orgIds: [ORGS.outreach],
        from: new Date(clock.getTime() - 60_000).toISOString(),
        until: new Date(clock.getTime() + 3_600_000).toISOString(),
      })
      .as(admin)
      .expect(201);
    const auditor = await world.token(['auditor', 'caseworker'], ORGS.unrelated, 'auditor-1');
    await http(world.app).get(`/journeys/${journeyId}/identification`).as(auditor).expect(200);
    await http(world.app)
      .post(`/journeys/${journeyId}/consents`, sharingConsent())
      .as(auditor)
      .expectProblem(403, 'JOURNEY_READ_ONLY');
  });

  it('a referred organisation works on the journey but cannot pass it on or change its consents', async () => {
    const consent = sharingConsent();
    await http(world.app).post(`/journeys/${journeyId}/consents`, consent).as(opener).expect(201);
    const referral = await http(world.app)
      .post(`/journeys/${journeyId}/referrals`, referralTo(ORGS.shelter, consent.consentId))
      .as(opener)
      .expect(201);
    const { referralId } = referral.body as { referralId: string };
    const shelter = await world.token(['caseworker', 'supervisor'], ORGS.shelter);
    await http(world.app)
      .post(`/journeys/${journeyId}/referrals/${referralId}/acceptance`)
      .as(shelter)
      .expect(201);
    await http(world.app)
      .post(`/journeys/${journeyId}/information`, {
        topic: 'rights',
        language: 'en',
        interpreterUsed: false,
      })
      .as(shelter)
      .expect(201);

    await http(world.app)
      .post(`/journeys/${journeyId}/referrals`, referralTo(ORGS.unrelated, consent.consentId))
      .as(shelter)
      .expectProblem(403, 'SHARING_BY_OPENING_ORGANISATION_ONLY');
    await http(world.app)
      .post(`/journeys/${journeyId}/consents`, sharingConsent())
      .as(shelter)
      .expectProblem(403, 'SHARING_BY_OPENING_ORGANISATION_ONLY');
    await http(world.app)
      .post(`/journeys/${journeyId}/consents/${consent.consentId}/withdrawal`)
      .as(shelter)
      .expectProblem(403, 'SHARING_BY_OPENING_ORGANISATION_ONLY');
  });

  it('a referral stops giving access when its sharing consent expires', async () => {
    const consent = {
      ...sharingConsent(),
      validUntil: new Date(clock.getTime() + 3_600_000).toISOString(),
    };
    await http(world.app).post(`/journeys/${journeyId}/consents`, consent).as(opener).expect(201);
    const referral = await http(world.app)
      .post(`/journeys/${journeyId}/referrals`, referralTo(ORGS.shelter, consent.consentId))
      .as(opener)
      .expect(201);
    const { referralId } = referral.body as { referralId: string };
    const shelter = await world.token(['shelter_staff'], ORGS.shelter);
    await http(world.app)
      .post(`/journeys/${journeyId}/referrals/${referralId}/acceptance`)
      .as(shelter)
      .expect(201);
    await http(world.app).get(`/journeys/${journeyId}/identification`).as(shelter).expect(200);

    clock = new Date(clock.getTime() + 2 * 3_600_000);
    await http(world.app)
      .get(`/journeys/${journeyId}/identification`)
      .as(shelter)
      .expectProblem(404, 'JOURNEY_NOT_FOUND');
  });
});
