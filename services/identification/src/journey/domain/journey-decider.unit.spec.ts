import type { IdentificationEvent } from '@waypoint/contracts';
import { deciderSpec } from '@waypoint/decider/spec';
import { describe, expect, it } from 'vitest';
import type { Actor } from '@waypoint/decider';
import type { JourneyCommand } from './commands.js';
import { canSeeJourney, NO_GRANTS } from '@waypoint/journey-facts';
import { journeyDecider } from './journey-decider.js';
import type { JourneyEvent, OpenJourney } from '@waypoint/journey-facts';

const spec = deciderSpec(journeyDecider);
const ids = {
  journey: '01936d8e-0000-7000-8000-000000000001',
  person: '01936d8e-0000-7000-8000-000000000002',
  ngo: '01936d8e-0000-7000-8000-0000000000a1',
  shelter: '01936d8e-0000-7000-8000-0000000000a2',
  other: '01936d8e-0000-7000-8000-0000000000a3',
  consent: '01936d8e-0000-7000-8000-0000000000c1',
  referral: '01936d8e-0000-7000-8000-0000000000d1',
};
const caseworker: Actor = { userId: 'cw-1', orgId: ids.ngo, roles: ['caseworker'] };
const supervisor: Actor = { userId: 'sv-1', orgId: ids.ngo, roles: ['supervisor'] };
const shelterWorker: Actor = { userId: 'sh-1', orgId: ids.shelter, roles: ['caseworker'] };
const now = '2026-05-01T10:00:00.000Z';

const openedData = {
  journeyId: ids.journey,
  personId: ids.person,
  jurisdiction: 'NL',
  openedByOrgId: ids.ngo,
};
const opened: JourneyEvent = { type: 'JourneyOpened', data: openedData, eventId: 'e-opened' };
const sharingConsent = (
  overrides: Partial<Extract<IdentificationEvent, { type: 'ConsentRecorded' }>['data']> = {},
): JourneyEvent => ({
  type: 'ConsentRecorded',
  data: {
    consentId: ids.consent,
    scope: 'sharing',
    givenBy: 'self',
    informedOf: ['purpose', 'how_to_withdraw'],
    sharingWithOrgIds: [],
    ...overrides,
  },
  eventId: 'e-consent',
});
const withdrawn: JourneyEvent = {
  type: 'ConsentWithdrawn',
  data: { consentId: ids.consent, scope: 'sharing' },
  eventId: 'e-withdrawn',
};
const referralData = {
  referralId: ids.referral,
  toOrgId: ids.shelter,
  reason: 'AdditionalServicesRequired',
  services: ['SocialCare'],
};
const refer = (
  overrides: Partial<Extract<JourneyCommand, { type: 'MakeReferral' }>> = {},
): JourneyCommand => ({
  type: 'MakeReferral',
  data: { ...referralData, consentId: ids.consent },
  actor: caseworker,
  target: { orgId: ids.shelter, acceptsReferrals: true },
  now,
  ...overrides,
});
const referred: JourneyEvent = {
  type: 'ReferralMade',
  data: { ...referralData, services: ['SocialCare'], consentId: ids.consent },
  eventId: 'e-referred',
};
const acceptance: JourneyEvent = {
  type: 'ReferralAccepted',
  data: { referralId: ids.referral, byOrgId: ids.shelter },
};
const accepted: JourneyEvent = { ...acceptance, eventId: 'e-accepted' };

describe('journey decider', () => {
  describe('given no journey', () => {
    it('opens one', () => {
      spec
        .given([])
        .when({
          type: 'OpenJourney',
          data: openedData,
        })
        .then([
          {
            type: 'JourneyOpened',
            data: {
              journeyId: ids.journey,
              personId: ids.person,
              jurisdiction: 'NL',
              openedByOrgId: ids.ngo,
            },
          },
        ]);
    });
    it('records nothing on it', () => {
      spec
        .given([])
        .when({ type: 'WithdrawConsent', consentId: ids.consent })
        .thenFails('JOURNEY_NOT_FOUND');
    });
  });

  describe('given an open journey', () => {
    it('refuses to open it again', () => {
      spec
        .given([opened])
        .when({
          type: 'OpenJourney',
          data: {
            journeyId: ids.journey,
            personId: ids.person,
            jurisdiction: 'NL',
            openedByOrgId: ids.ngo,
          },
        })
        .thenFails('JOURNEY_ALREADY_EXISTS', 'journeyId');
    });
    it('records a conclusive decision without a prior reasonable-grounds one: a fact, left to the audit', () => {
      const fact: Extract<IdentificationEvent, { type: 'ConclusiveGroundsDecided' }> = {
        type: 'ConclusiveGroundsDecided',
        data: {
          status: 'ActualVictimOfTrafficking',
          decidingBody: { type: 'Police', name: 'Unit 3' },
          reasonCodes: ['indicators_confirmed'],
          legalBasis: 'CoE Art. 10',
        },
      };
      spec.given([opened]).when({ type: 'RecordFact', event: fact }).then([fact]);
    });
    it('refuses a referral without any consent or override', () => {
      spec
        .given([opened])
        .when(refer({ data: { ...referralData, services: ['SocialCare'] } }))
        .thenFails('CONSENT_REQUIRED', 'consentId');
    });
    it('refuses a referral to an organisation that is not in the directory or takes none', () => {
      spec
        .given([opened, sharingConsent()])
        .when(refer({ target: null }))
        .thenFails('ORGANISATION_NOT_FOUND', 'toOrgId');
      spec
        .given([opened, sharingConsent()])
        .when(refer({ target: { orgId: ids.shelter, acceptsReferrals: false } }))
        .thenFails('ORGANISATION_NOT_ACCEPTING_REFERRALS');
    });
    it('accepts a supervisor override with a reason in place of consent', () => {
      const override = {
        supervisorUserId: 'sv-1',
        reason: 'Immediate danger; the person cannot be asked now',
      };
      spec
        .given([opened])
        .when(
          refer({
            actor: supervisor,
            data: { ...referralData, services: ['SocialCare'], override },
          }),
        )
        .then([
          { type: 'ReferralMade', data: { ...referralData, services: ['SocialCare'], override } },
        ]);
    });
    it('refuses an override recorded by someone who is not a supervisor', () => {
      const override = { supervisorUserId: 'cw-1', reason: 'urgent' };
      spec
        .given([opened])
        .when(refer({ data: { ...referralData, services: ['SocialCare'], override } }))
        .thenFails('OVERRIDE_REQUIRES_SUPERVISOR');
    });
  });

  describe('given a sharing consent', () => {
    it('refers on it', () => {
      spec
        .given([opened, sharingConsent()])
        .when(refer())
        .then([{ type: 'ReferralMade', data: { ...referralData, consentId: ids.consent } }]);
    });
    it('refuses when the consent names other organisations', () => {
      spec
        .given([opened, sharingConsent({ sharingWithOrgIds: [ids.other] })])
        .when(refer())
        .thenFails('CONSENT_DOES_NOT_COVER_ORGANISATION');
    });
    it('refuses when the consent has expired', () => {
      spec
        .given([opened, sharingConsent({ validUntil: '2026-04-30T00:00:00.000Z' })])
        .when(refer())
        .thenFails('CONSENT_EXPIRED');
    });
    it('cannot rely on it once withdrawn', () => {
      spec
        .given([opened, sharingConsent(), withdrawn])
        .when(refer())
        .thenFails('CONSENT_WITHDRAWN', 'consentId');
    });
    it('refuses a second withdrawal, and a withdrawal of an unknown consent', () => {
      spec
        .given([opened, sharingConsent(), withdrawn])
        .when({ type: 'WithdrawConsent', consentId: ids.consent })
        .thenFails('CONSENT_ALREADY_WITHDRAWN');
      spec
        .given([opened])
        .when({ type: 'WithdrawConsent', consentId: ids.consent })
        .thenFails('CONSENT_NOT_FOUND');
    });
    it('counts it again when its withdrawal is retracted as recorded in error', () => {
      const retraction: JourneyEvent = {
        type: 'EventRetracted',
        data: { retractedEventId: 'e-withdrawn', reasonCode: 'recorded-in-error' },
        eventId: 'e-retraction',
      };
      spec
        .given([opened, sharingConsent(), withdrawn, retraction])
        .when(refer())
        .then([{ type: 'ReferralMade', data: { ...referralData, consentId: ids.consent } }]);
    });
  });

  describe('given a pending referral', () => {
    it('is accepted by the referred organisation only', () => {
      spec
        .given([opened, sharingConsent(), referred])
        .when({ type: 'AcceptReferral', referralId: ids.referral, actor: shelterWorker, now })
        .then([acceptance]);
      spec
        .given([opened, sharingConsent(), referred])
        .when({ type: 'AcceptReferral', referralId: ids.referral, actor: caseworker, now })
        .thenFails('REFERRAL_NOT_ADDRESSED_TO_YOU');
    });
    it('is not accepted once the consent it relied on was withdrawn', () => {
      spec
        .given([opened, sharingConsent(), referred, withdrawn])
        .when({ type: 'AcceptReferral', referralId: ids.referral, actor: shelterWorker, now })
        .thenFails('CONSENT_WITHDRAWN');
    });
    it('refuses a second referral to the same organisation', () => {
      spec
        .given([opened, sharingConsent(), referred])
        .when(refer({ data: { ...referralData, referralId: ids.other, consentId: ids.consent } }))
        .thenFails('REFERRAL_ALREADY_OPEN');
    });
    it('cannot be completed before it is accepted', () => {
      spec
        .given([opened, sharingConsent(), referred])
        .when({ type: 'CompleteReferral', referralId: ids.referral, actor: caseworker })
        .thenFails('REFERRAL_NOT_ACCEPTED');
    });
  });

  describe('corrections', () => {
    it('refuses to retract an unknown event, the opening, or twice', () => {
      spec
        .given([opened])
        .when({
          type: 'RetractEvent',
          data: {
            retractedEventId: '01936d8e-0000-7000-8000-0000000000ff',
            reasonCode: 'duplicate',
          },
        })
        .thenFails('EVENT_NOT_FOUND');
      spec
        .given([opened])
        .when({
          type: 'RetractEvent',
          data: { retractedEventId: 'e-opened', reasonCode: 'duplicate' },
        })
        .thenFails('JOURNEY_OPENING_NOT_CORRECTABLE');
    });
    it('validates an amendment against the amended event type', () => {
      spec
        .given([opened, sharingConsent()])
        .when({
          type: 'AmendEvent',
          data: {
            amendedEventId: 'e-consent',
            reasonCode: 'data-entry-error',
            replacement: { consentId: ids.consent, scope: 'nonsense' },
          },
        })
        .thenFails('AMENDMENT_INVALID');
    });
  });
});

describe('who sees a journey', () => {
  const at = '2026-01-01T00:00:00.000Z';
  const state = (events: JourneyEvent[]): OpenJourney => {
    const folded = events.reduce(journeyDecider.evolve, journeyDecider.initialState());
    if (folded.status !== 'open') throw new Error('not open');
    return folded;
  };
  it('the opening organisation, and a referred one only while the referral is accepted and the consent stands', () => {
    expect(canSeeJourney(state([opened]), caseworker, NO_GRANTS, at)).toBe(true);
    expect(
      canSeeJourney(state([opened, sharingConsent(), referred]), shelterWorker, NO_GRANTS, at),
    ).toBe(false);
    expect(
      canSeeJourney(
        state([opened, sharingConsent(), referred, accepted]),
        shelterWorker,
        NO_GRANTS,
        at,
      ),
    ).toBe(true);
    expect(
      canSeeJourney(
        state([opened, sharingConsent(), referred, accepted, withdrawn]),
        shelterWorker,
        NO_GRANTS,
        at,
      ),
    ).toBe(false);
    const completed: JourneyEvent = {
      type: 'ReferralCompleted',
      data: { referralId: ids.referral },
      eventId: 'e-done',
    };
    expect(
      canSeeJourney(
        state([opened, sharingConsent(), referred, accepted, completed]),
        shelterWorker,
        NO_GRANTS,
        at,
      ),
    ).toBe(false);
  });
  it('an auditor within a mandate, the data-protection officer, a break-glass', () => {
    const auditor = { userId: 'au-1', orgId: ids.other, roles: ['auditor'] };
    expect(canSeeJourney(state([opened]), auditor, NO_GRANTS, at)).toBe(false);
    expect(
      canSeeJourney(
        state([opened]),
        auditor,
        {
          mandateOrgIds: new Set([ids.ngo]),
          breakGlassJourneyIds: new Set(),
        },
        at,
      ),
    ).toBe(true);
    expect(
      canSeeJourney(
        state([opened]),
        { userId: 'dpo', orgId: ids.other, roles: ['data_protection_officer'] },
        NO_GRANTS,
        at,
      ),
    ).toBe(true);
    expect(
      canSeeJourney(
        state([opened]),
        shelterWorker,
        {
          mandateOrgIds: new Set(),
          breakGlassJourneyIds: new Set([ids.journey]),
        },
        at,
      ),
    ).toBe(true);
  });
});
