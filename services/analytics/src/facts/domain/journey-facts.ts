import type {
  AGE_BANDS,
  REVIEW_FEELS_SAFE,
  REVIEW_HOUSING,
  REVIEW_LEGAL_STATUS,
  REVIEW_SCHOOL,
  REVIEW_WORK,
} from '@waypoint/contracts';

export type AgeBand = (typeof AGE_BANDS)[number];

/** The services whose journey streams feed the facts; the person registry is folded apart. */
export const JOURNEY_SOURCES = [
  'identification',
  'shelter',
  'care',
  'legal',
  'reintegration',
] as const;
export type JourneySource = (typeof JOURNEY_SOURCES)[number];

/**
 * One event of a journey as analytics keeps it: coarse clear codes only (every `$enc` value is
 * dropped before it is stored), the stream category it came from (two families share event type
 * names) and when it happened.
 */
export interface CoarseEvent {
  readonly eventId: string;
  readonly source: JourneySource;
  readonly type: string;
  /** ISO 8601 instant, UTC. */
  readonly occurredAt: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** The person registry's coarse codes for the person a journey follows. */
export interface PersonCodes {
  readonly gender: string;
  readonly ageBand: AgeBand;
  readonly child: 'yes' | 'no' | 'unknown';
  readonly citizenship: readonly string[];
}

/**
 * The situation a review found, as the reintegration service's codes; null for an aspect the
 * review did not ask about (or a code analytics does not know).
 */
export interface ReviewSituation {
  readonly housing: (typeof REVIEW_HOUSING)[number] | null;
  readonly work: (typeof REVIEW_WORK)[number] | null;
  readonly school: (typeof REVIEW_SCHOOL)[number] | null;
  readonly feelsSafe: (typeof REVIEW_FEELS_SAFE)[number] | null;
  readonly legalStatus: (typeof REVIEW_LEGAL_STATUS)[number] | null;
}

/** One reintegration review: its RSS scores and the situation it found. */
export interface ReviewScore {
  /** ISO instant of the review. */
  readonly on: string;
  readonly economic: number;
  readonly social: number;
  readonly psychosocial: number;
  readonly composite: number | null;
  /** Null when the review recorded no situation (reviews from before it was asked). */
  readonly situation: ReviewSituation | null;
}

export type Housing = 'shelter' | 'independent' | 'other_accommodation' | 'returned' | 'unknown';
export type LegalStatus =
  'national' | 'residence_permit' | 'international_protection' | 'pending' | 'refused' | 'none';

/**
 * One journey as coarse facts: dates (ISO instants) and codes, never a name or any encrypted value.
 * A null date means "not on record". It is the row the indicators are computed from.
 */
export interface JourneyFacts {
  readonly journeyId: string;
  readonly personId: string | null;
  /** The organisation that opened the journey. */
  readonly organisationId: string | null;
  readonly jurisdiction: string | null;
  /** A consent to anonymous reporting is on record and not withdrawn. */
  readonly consentAnonymousReporting: boolean;
  /** When that consent lapses (ISO instant), or null when it does not. */
  readonly consentAnonymousReportingUntil: string | null;

  // Breakdown keys
  /** First contact (else the opening): the cohort date, reported as year or quarter only. */
  readonly identifiedAt: string | null;
  readonly gender: string;
  readonly ageBand: AgeBand;
  /** A child at identification: by the registry, an age assessment or the presumption of childhood. */
  readonly child: boolean;
  readonly exploitationTypes: readonly string[];
  readonly citizenship: string | null;
  readonly citizenshipRegion: string;

  // Process
  readonly firstContactAt: string | null;
  readonly reasonableGroundsAt: string | null;
  readonly reasonableGroundsOutcome: 'positive' | 'negative' | null;
  readonly conclusiveAt: string | null;
  readonly conclusiveStatus: string | null;
  readonly reflectionGrantedAt: string | null;
  /** Days from start to end of the first reflection period granted (end minus start). */
  readonly reflectionDays: number | null;
  readonly unaccompaniedChildAt: string | null;
  readonly guardianAppointedAt: string | null;
  readonly returnDecidedAt: string | null;
  readonly returnExecutedAt: string | null;
  /** A return-scope risk assessment was on record before the first return. */
  readonly returnRiskAssessed: boolean;
  /** A best-interests determination was on record before the first return. */
  readonly returnBestInterestsDetermined: boolean;
  readonly childAtReturn: boolean;
  readonly criminalisedBeforeIdentification: boolean;
  readonly criminalisedAfterIdentification: boolean;
  readonly compensationClaimed: boolean;
  readonly compensationAwarded: boolean;
  readonly compensationPaid: boolean;
  readonly referralsMade: number;
  readonly referralsCompleted: number;
  readonly shelterAdmittedAt: string | null;
  readonly firstServiceAt: string | null;
  readonly residenceDecisionAt: string | null;

  // Outcomes
  readonly reviews: readonly ReviewScore[];
  readonly housing: Housing;
  readonly legalStatus: LegalStatus;
  /** Exit from assistance or return: where re-trafficking follow-up starts. */
  readonly followUpStartAt: string | null;
  /** The last time anything was recorded about the person (a review, any event). */
  readonly lastContactAt: string | null;
  readonly reTraffickedAt: string | null;
  readonly lostToFollowUpAt: string | null;
  readonly closedAt: string | null;
}
