import type { JourneyFacts } from '../facts/domain/journey-facts.js';

let rows = 0;

/** A consenting journey with nothing on record but its cohort keys, and the given facts. */
export function factsRow(overrides: Partial<JourneyFacts> = {}): JourneyFacts {
  rows += 1;
  return {
    journeyId: `00000000-0000-7000-8000-${String(rows).padStart(12, '0')}`,
    personId: null,
    organisationId: '0193c000-0000-7000-8000-00000000000a',
    jurisdiction: 'NL',
    consentAnonymousReporting: true,
    consentAnonymousReportingUntil: null,
    identifiedAt: '2025-02-01T00:00:00.000Z',
    gender: 'Feminine',
    ageBand: '24-26',
    child: false,
    exploitationTypes: ['SexualExploitation'],
    citizenship: 'NG',
    citizenshipRegion: 'Africa',
    firstContactAt: '2025-02-01T00:00:00.000Z',
    reasonableGroundsAt: null,
    reasonableGroundsOutcome: null,
    conclusiveAt: null,
    conclusiveStatus: null,
    reflectionGrantedAt: null,
    reflectionDays: null,
    unaccompaniedChildAt: null,
    guardianAppointedAt: null,
    returnDecidedAt: null,
    returnExecutedAt: null,
    returnRiskAssessed: false,
    returnBestInterestsDetermined: false,
    childAtReturn: false,
    criminalisedBeforeIdentification: false,
    criminalisedAfterIdentification: false,
    compensationClaimed: false,
    compensationAwarded: false,
    compensationPaid: false,
    referralsMade: 0,
    referralsCompleted: 0,
    shelterAdmittedAt: null,
    firstServiceAt: null,
    residenceDecisionAt: null,
    reviews: [],
    housing: 'unknown',
    legalStatus: 'none',
    followUpStartAt: null,
    lastContactAt: '2025-02-01T00:00:00.000Z',
    reTraffickedAt: null,
    lostToFollowUpAt: null,
    closedAt: null,
    ...overrides,
  };
}

/** `count` copies of a row, each with its own journey id. */
export function many(count: number, overrides: Partial<JourneyFacts> = {}): JourneyFacts[] {
  return Array.from({ length: count }, () => factsRow(overrides));
}
