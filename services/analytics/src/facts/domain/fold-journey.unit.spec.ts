import { describe, expect, it } from 'vitest';
import { coarseData } from './coarse-data.js';
import { foldJourney } from './fold-journey.js';
import type { CoarseEvent, JourneySource, PersonCodes } from './journey-facts.js';

const JOURNEY = '0193c000-0000-7000-8000-000000000001';
const PERSON = '0193c000-0000-7000-8000-0000000000f1';
const ORG = '0193c000-0000-7000-8000-0000000000a1';
const person: PersonCodes = {
  gender: 'Feminine',
  ageBand: '21-23',
  child: 'no',
  citizenship: ['NG'],
};

let ids = 0;
const event = (
  source: JourneySource,
  type: string,
  day: string,
  data: Record<string, unknown> = {},
): CoarseEvent => {
  ids += 1;
  return {
    eventId: `e-${String(ids)}`,
    source,
    type,
    occurredAt: day.length === 10 ? `${day}T00:00:00.000Z` : day,
    data,
  };
};
const opened = (): CoarseEvent[] => [
  event('identification', 'JourneyOpened', '2025-01-10', {
    journeyId: JOURNEY,
    personId: PERSON,
    jurisdiction: 'NL',
    openedByOrgId: ORG,
  }),
  event('identification', 'FirstContactRecorded', '2025-01-10', { channel: 'outreach' }),
];
const rgPositive = (day: string): CoarseEvent =>
  event('identification', 'ReasonableGroundsDecided', day, { outcome: 'positive' });

describe('the facts of a journey', () => {
  describe('given only its opening', () => {
    it('has its cohort keys from the registry and nothing else on record', () => {
      const facts = foldJourney(JOURNEY, opened(), person);
      expect(facts).toMatchObject({
        journeyId: JOURNEY,
        personId: PERSON,
        organisationId: ORG,
        identifiedAt: '2025-01-10T00:00:00.000Z',
        gender: 'Feminine',
        ageBand: '21-23',
        child: false,
        citizenship: 'NG',
        citizenshipRegion: 'Africa',
        consentAnonymousReporting: false,
        reasonableGroundsOutcome: null,
        legalStatus: 'none',
        housing: 'unknown',
      });
    });
  });

  describe('given the identification steps', () => {
    it('dates the decisions and the reflection period, and measures its length', () => {
      const facts = foldJourney(
        JOURNEY,
        [
          ...opened(),
          rgPositive('2025-01-20'),
          event('legal', 'RecoveryReflectionPeriodGranted', '2025-01-21', {
            start: '2025-01-21',
            end: '2025-02-20',
          }),
          event('identification', 'ConclusiveGroundsDecided', '2025-04-01', {
            status: 'ActualVictimOfTrafficking',
          }),
        ],
        person,
      );
      expect(facts).toMatchObject({
        reasonableGroundsAt: '2025-01-20T00:00:00.000Z',
        reasonableGroundsOutcome: 'positive',
        reflectionDays: 30,
        conclusiveAt: '2025-04-01T00:00:00.000Z',
        conclusiveStatus: 'ActualVictimOfTrafficking',
      });
    });

    it('counts a consent to anonymous reporting until it is withdrawn', () => {
      const consent = event('identification', 'ConsentRecorded', '2025-01-11', {
        consentId: 'c1',
        scope: 'anonymous_reporting',
      });
      expect(foldJourney(JOURNEY, [...opened(), consent], person).consentAnonymousReporting).toBe(
        true,
      );
      const withdrawn = event('identification', 'ConsentWithdrawn', '2025-03-01', {
        consentId: 'c1',
        scope: 'anonymous_reporting',
      });
      expect(
        foldJourney(JOURNEY, [...opened(), consent, withdrawn], person).consentAnonymousReporting,
      ).toBe(false);
    });

    it('takes a child from an age assessment over the registry', () => {
      const facts = foldJourney(
        JOURNEY,
        [
          ...opened(),
          event('identification', 'AgeUncertaintyRecorded', '2025-01-10'),
          event('identification', 'AgeAssessed', '2025-01-15', {
            outcome: 'child',
            ageBand: '9-17',
          }),
          event('identification', 'UnaccompaniedChildRecorded', '2025-01-15T10:00:00.000Z'),
          event('identification', 'GuardianAppointed', '2025-01-16T09:00:00.000Z'),
        ],
        person,
      );
      expect(facts).toMatchObject({
        child: true,
        ageBand: '9-17',
        unaccompaniedChildAt: '2025-01-15T10:00:00.000Z',
        guardianAppointedAt: '2025-01-16T09:00:00.000Z',
      });
    });
  });

  describe('given corrections', () => {
    it('forgets a retracted decision', () => {
      const decision = rgPositive('2025-01-20');
      const facts = foldJourney(
        JOURNEY,
        [
          ...opened(),
          decision,
          event('identification', 'EventRetracted', '2025-01-22', {
            retractedEventId: decision.eventId,
            reasonCode: 'recorded-in-error',
          }),
        ],
        person,
      );
      expect(facts.reasonableGroundsOutcome).toBeNull();
      expect(facts.reasonableGroundsAt).toBeNull();
    });

    it('counts an amended reflection period with its corrected dates', () => {
      const grant = event('legal', 'RecoveryReflectionPeriodGranted', '2025-01-21', {
        start: '2025-01-21',
        end: '2025-02-01',
      });
      const facts = foldJourney(
        JOURNEY,
        [
          ...opened(),
          grant,
          event('legal', 'EventAmended', '2025-01-25', {
            amendedEventId: grant.eventId,
            reasonCode: 'data-entry-error',
            replacement: { start: '2025-01-21', end: '2025-03-22' },
          }),
        ],
        person,
      );
      expect(facts.reflectionDays).toBe(60);
    });
  });

  describe('given criminal charges', () => {
    it('tells charges before identification from charges after it, ignoring unrelated ones', () => {
      const facts = foldJourney(
        JOURNEY,
        [
          ...opened(),
          event('legal', 'CriminalChargeFiled', '2025-01-12', { linkedToTrafficking: 'yes' }),
          rgPositive('2025-01-20'),
          event('legal', 'PenaltyImposed', '2025-02-12', { linkedToTrafficking: 'no' }),
        ],
        person,
      );
      expect(facts.criminalisedBeforeIdentification).toBe(true);
      expect(facts.criminalisedAfterIdentification).toBe(false);
    });
  });

  describe('given services, a return and reviews', () => {
    const events = [
      ...opened(),
      rgPositive('2025-01-20'),
      event('care', 'CareDelivered', '2025-01-30', { deliveredAt: '2025-01-14T12:00:00.000Z' }),
      event('shelter', 'ShelterAdmitted', '2025-01-15'),
      event('shelter', 'ShelterExited', '2025-03-01', { reason: 'voluntary_return' }),
      event('shelter', 'RiskAssessmentCompleted', '2025-02-01', { scope: 'safety' }),
      event('reintegration', 'RiskAssessmentCompleted', '2025-02-20', { scope: 'return' }),
      event('reintegration', 'ReturnDecided', '2025-02-25', { voluntary: true }),
      event('reintegration', 'ReturnExecuted', '2025-03-02'),
      event('reintegration', 'ReintegrationReviewCompleted', '2025-04-01', {
        scores: { economic: 0.2, social: 0.4, psychosocial: 0.5 },
      }),
      event('reintegration', 'ReTraffickingReported', '2025-09-01'),
      event('reintegration', 'JourneyClosed', '2025-10-01', { reason: 'lost_to_follow_up' }),
    ];
    const facts = foldJourney(JOURNEY, events, person);

    it('dates the first service by when the care was given', () => {
      expect(facts.firstServiceAt).toBe('2025-01-14T12:00:00.000Z');
      expect(facts.shelterAdmittedAt).toBe('2025-01-15T00:00:00.000Z');
    });

    it('knows the return was preceded by a return risk assessment, not by the shelter one', () => {
      expect(facts.returnRiskAssessed).toBe(true);
      expect(facts.returnBestInterestsDetermined).toBe(false);
      expect(facts.childAtReturn).toBe(false);
    });

    it('follows up from the return', () => {
      expect(facts).toMatchObject({
        housing: 'returned',
        followUpStartAt: '2025-03-02T00:00:00.000Z',
        reTraffickedAt: '2025-09-01T00:00:00.000Z',
        lostToFollowUpAt: '2025-10-01T00:00:00.000Z',
        lastContactAt: '2025-10-01T00:00:00.000Z',
        reviews: [
          {
            on: '2025-04-01T00:00:00.000Z',
            economic: 0.2,
            social: 0.4,
            psychosocial: 0.5,
            composite: null,
            situation: null,
          },
        ],
      });
    });
  });

  describe('given reviews with the situation they found', () => {
    const review = (day: string, situation?: Record<string, unknown>): CoarseEvent =>
      event('reintegration', 'ReintegrationReviewCompleted', day, {
        scores: { economic: 0.5, social: 0.5, psychosocial: 0.5 },
        ...(situation === undefined ? {} : { situation }),
      });

    it('keeps each review’s situation in order, null for aspects not asked or codes unknown', () => {
      const facts = foldJourney(
        JOURNEY,
        [
          ...opened(),
          review('2025-07-01', { housing: 'stable_own', work: 'employed', feelsSafe: 'yes' }),
          review('2025-04-01'),
          review('2025-10-01', { school: 'x-home-schooling', legalStatus: 'regular' }),
        ],
        person,
      );
      expect(facts.reviews.map((entry) => [entry.on.slice(0, 10), entry.situation])).toEqual([
        ['2025-04-01', null],
        [
          '2025-07-01',
          {
            housing: 'stable_own',
            work: 'employed',
            school: null,
            feelsSafe: 'yes',
            legalStatus: null,
          },
        ],
        [
          '2025-10-01',
          { housing: null, work: null, school: null, feelsSafe: null, legalStatus: 'regular' },
        ],
      ]);
    });

    it('takes an amended review’s latest situation, and forgets a retracted one', () => {
      const first = review('2025-04-01', { housing: 'homeless' });
      const second = review('2025-07-01', { housing: 'stable_family' });
      const facts = foldJourney(
        JOURNEY,
        [
          ...opened(),
          first,
          second,
          event('reintegration', 'EventAmended', '2025-04-03', {
            amendedEventId: first.eventId,
            reasonCode: 'data-entry-error',
            replacement: {
              scores: { economic: 0.5, social: 0.5, psychosocial: 0.5 },
              situation: { housing: 'shelter_or_temporary', feelsSafe: 'no' },
            },
          }),
          event('reintegration', 'EventRetracted', '2025-07-02', {
            retractedEventId: second.eventId,
            reasonCode: 'wrong-journey',
          }),
        ],
        person,
      );
      expect(facts.reviews.map((entry) => entry.situation)).toEqual([
        {
          housing: 'shelter_or_temporary',
          work: null,
          school: null,
          feelsSafe: 'no',
          legalStatus: null,
        },
      ]);
    });
  });

  describe('legal status', () => {
    it('is national when the person is a citizen of the jurisdiction', () => {
      expect(foldJourney(JOURNEY, opened(), { ...person, citizenship: ['NL'] }).legalStatus).toBe(
        'national',
      );
    });

    it('prefers protection granted over an earlier refusal', () => {
      const facts = foldJourney(
        JOURNEY,
        [
          ...opened(),
          event('legal', 'ResidencePermitDecided', '2025-03-01', { outcome: 'refused' }),
          event('legal', 'InternationalProtectionClaimLodged', '2025-03-05', { claimId: 'p1' }),
          event('legal', 'InternationalProtectionClaimDecided', '2025-06-01', {
            claimId: 'p1',
            outcome: 'subsidiary_protection',
          }),
        ],
        person,
      );
      expect(facts.legalStatus).toBe('international_protection');
      expect(facts.residenceDecisionAt).toBe('2025-03-01T00:00:00.000Z');
    });
  });
});

describe('coarse data', () => {
  it('drops every encrypted value, however deep', () => {
    const sealed = {
      $enc: 'aes-256-gcm/v1',
      subject: 's',
      category: 'notes',
      iv: '',
      ct: '',
      tag: '',
    };
    expect(
      coarseData({
        outcome: 'positive',
        rationale: sealed,
        destination: { kind: 'family', address: sealed },
        list: [sealed, 'kept'],
      }),
    ).toEqual({ outcome: 'positive', destination: { kind: 'family' }, list: ['kept'] });
  });
});
