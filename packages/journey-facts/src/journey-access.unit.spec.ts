import { describe, expect, it } from 'vitest';
import { evolve } from './evolve-journey.js';
import { canSeeJourney, controlsSharing, NO_GRANTS, worksOnJourney } from './journey-access.js';
import { initialState, type JourneyEvent, type OpenJourney } from './journey-state.js';

const ids = {
  journey: '0193c000-0000-7000-8000-000000000001',
  person: '0193c000-0000-7000-8000-000000000002',
  opener: '0193c000-0000-7000-8000-000000000003',
  shelter: '0193c000-0000-7000-8000-000000000004',
  consent: '0193c000-0000-7000-8000-000000000005',
  referral: '0193c000-0000-7000-8000-000000000006',
};

function journey(events: readonly JourneyEvent[]): OpenJourney {
  const state = events.reduce(evolve, initialState());
  if (state.status !== 'open') throw new Error('not open');
  return state;
}

const opened: JourneyEvent = {
  type: 'JourneyOpened',
  data: {
    journeyId: ids.journey,
    personId: ids.person,
    jurisdiction: 'NL',
    openedByOrgId: ids.opener,
  },
};
const sharingConsent = (validUntil?: string): JourneyEvent => ({
  type: 'ConsentRecorded',
  data: {
    consentId: ids.consent,
    scope: 'sharing',
    givenBy: 'self',
    informedOf: ['purpose'],
    sharingWithOrgIds: [],
    ...(validUntil === undefined ? {} : { validUntil }),
  },
});
const referredAndAccepted: JourneyEvent[] = [
  {
    type: 'ReferralMade',
    data: {
      referralId: ids.referral,
      toOrgId: ids.shelter,
      reason: 'AdditionalServicesRequired',
      services: [],
      consentId: ids.consent,
    },
  },
  { type: 'ReferralAccepted', data: { referralId: ids.referral, byOrgId: ids.shelter } },
];

const shelterWorker = { userId: 'shelter-1', orgId: ids.shelter, roles: ['shelter_staff'] };
const outsider = { userId: 'outsider', orgId: ids.shelter, roles: ['caseworker'] };

describe('who sees a journey at a given time', () => {
  describe('given a referral accepted on a sharing consent valid until 1 March', () => {
    const state = journey([
      opened,
      sharingConsent('2026-03-01T00:00:00.000Z'),
      ...referredAndAccepted,
    ]);

    it('the referred organisation sees it before the consent expires', () => {
      expect(canSeeJourney(state, shelterWorker, NO_GRANTS, '2026-02-28T23:59:59.999Z')).toBe(true);
    });

    it('no longer sees it once the consent has expired, exactly as after a withdrawal', () => {
      expect(canSeeJourney(state, shelterWorker, NO_GRANTS, '2026-03-01T00:00:00.000Z')).toBe(
        false,
      );
      expect(worksOnJourney(state, shelterWorker, '2026-03-02T00:00:00.000Z')).toBe(false);
    });
  });

  describe('given a referral accepted on a consent with no end', () => {
    it('the referred organisation sees it at any time until the consent is withdrawn', () => {
      const state = journey([opened, sharingConsent(), ...referredAndAccepted]);
      expect(canSeeJourney(state, shelterWorker, NO_GRANTS, '2099-01-01T00:00:00.000Z')).toBe(true);
      const withdrawn = journey([
        opened,
        sharingConsent(),
        ...referredAndAccepted,
        { type: 'ConsentWithdrawn', data: { consentId: ids.consent, scope: 'sharing' } },
      ]);
      expect(canSeeJourney(withdrawn, shelterWorker, NO_GRANTS, '2026-01-01T00:00:00.000Z')).toBe(
        false,
      );
    });
  });

  describe('given access outside the organisation', () => {
    const state = journey([opened]);
    const at = '2026-01-01T00:00:00.000Z';

    it('a break-glass, a mandate or the DPO role let a caller see it, never work on it', () => {
      const breakGlass = { ...NO_GRANTS, breakGlassJourneyIds: new Set([ids.journey]) };
      expect(canSeeJourney(state, outsider, breakGlass, at)).toBe(true);
      expect(worksOnJourney(state, outsider, at)).toBe(false);
      const dpo = { ...outsider, roles: ['data_protection_officer'] };
      expect(canSeeJourney(state, dpo, NO_GRANTS, at)).toBe(true);
      expect(worksOnJourney(state, dpo, at)).toBe(false);
    });

    it('only the opening organisation controls sharing, not a referred one', () => {
      const referred = journey([opened, sharingConsent(), ...referredAndAccepted]);
      expect(
        controlsSharing(referred, { userId: 'c', orgId: ids.opener, roles: ['caseworker'] }),
      ).toBe(true);
      expect(worksOnJourney(referred, shelterWorker, at)).toBe(true);
      expect(controlsSharing(referred, shelterWorker)).toBe(false);
    });
  });
});
