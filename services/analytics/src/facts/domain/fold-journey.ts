import {
  effectiveEntries,
  REVIEW_FEELS_SAFE,
  REVIEW_HOUSING,
  REVIEW_LEGAL_STATUS,
  REVIEW_SCHOOL,
  REVIEW_WORK,
} from '@waypoint/contracts';
import type {
  AgeBand,
  CoarseEvent,
  Housing,
  JourneyFacts,
  LegalStatus,
  PersonCodes,
  ReviewScore,
  ReviewSituation,
} from './journey-facts.js';
import { regionOf } from './regions.js';

const DAY_MS = 86_400_000;
const CHILD_BANDS: ReadonlySet<AgeBand> = new Set(['0-8', '9-17']);
const LOST_REASONS = new Set(['lost_to_follow_up', 'moved_out_of_reach']);
const AWARDED = new Set(['awarded', 'partially_awarded', 'settled']);
const PROTECTED = new Set(['refugee_status', 'subsidiary_protection', 'humanitarian_status']);

type Data = Readonly<Record<string, unknown>>;

const str = (data: Data, key: string): string | undefined => {
  const value = data[key];
  return typeof value === 'string' ? value : undefined;
};
const num = (data: Data, key: string): number | undefined => {
  const value = data[key];
  return typeof value === 'number' ? value : undefined;
};
const strings = (data: Data, key: string): string[] => {
  const value = data[key];
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
};
const object = (data: Data, key: string): Data => {
  const value = data[key];
  return typeof value === 'object' && value !== null ? (value as Data) : {};
};

/** The value at `key` when it is one of `codes`, else null (absent, or a code we do not know). */
const codeOf = <Code extends string>(
  data: Data,
  key: string,
  codes: readonly Code[],
): Code | null => {
  const value = data[key];
  return codes.find((code) => code === value) ?? null;
};

/** A review's situation, or null when it recorded none. */
function situationOf(data: Data): ReviewSituation | null {
  if (typeof data.situation !== 'object' || data.situation === null) return null;
  const situation = object(data, 'situation');
  return {
    housing: codeOf(situation, 'housing', REVIEW_HOUSING),
    work: codeOf(situation, 'work', REVIEW_WORK),
    school: codeOf(situation, 'school', REVIEW_SCHOOL),
    feelsSafe: codeOf(situation, 'feelsSafe', REVIEW_FEELS_SAFE),
    legalStatus: codeOf(situation, 'legalStatus', REVIEW_LEGAL_STATUS),
  };
}

const earliest = (current: string | null, candidate: string): string =>
  current === null || candidate < current ? candidate : current;
const latest = (current: string | null, candidate: string): string =>
  current === null || candidate > current ? candidate : current;

/** Whole days from `from` to `to` (ISO dates or instants). */
export function daysBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / DAY_MS;
}

/** A day (`2025-03-01`) as the instant it starts, so that every date in the facts compares as text. */
const dayStart = (day: string): string => (day.length === 10 ? `${day}T00:00:00.000Z` : day);

/** Where the event happened in time: the provider's own time for care, else the envelope's. */
function whenOf(event: CoarseEvent): string {
  if (event.source === 'care') {
    const own = str(event.data, 'deliveredAt') ?? str(event.data, 'endedAt');
    if (own !== undefined) return own;
  }
  return event.occurredAt;
}

interface Accumulator {
  personId: string | null;
  organisationId: string | null;
  jurisdiction: string | null;
  openedAt: string | null;
  consents: Map<string, { until: string | null; withdrawn: boolean }>;
  exploitationTypes: Set<string>;
  firstContactAt: string | null;
  reasonableGroundsAt: string | null;
  positiveAt: string | null;
  conclusiveAt: string | null;
  conclusiveStatus: string | null;
  actualVictimAt: string | null;
  presumedChild: boolean;
  assessedAgeBand: AgeBand | null;
  unaccompaniedChildAt: string | null;
  guardianAppointedAt: string | null;
  referralsMade: Set<string>;
  referralsCompleted: Set<string>;
  shelterAdmittedAt: string | null;
  firstServiceAt: string | null;
  placed: boolean;
  lastShelterExitAt: string | null;
  assistanceEndedAt: string | null;
  housing: Housing;
  reflectionGrantedAt: string | null;
  reflectionDays: number | null;
  residenceDecisionAt: string | null;
  permitGranted: boolean;
  permitRefused: boolean;
  protectionLodged: Set<string>;
  protectionDecided: Set<string>;
  protectionGranted: boolean;
  criminalisedAt: string[];
  compensationClaimed: boolean;
  compensationAwarded: boolean;
  compensationPaid: boolean;
  returnRiskAt: string[];
  bestInterestsAt: string[];
  returnDecidedAt: string | null;
  returnExecutedAt: string | null;
  reviews: ReviewScore[];
  reTraffickedAt: string | null;
  lostToFollowUpAt: string | null;
  closedAt: string | null;
  lastContactAt: string | null;
}

const start = (): Accumulator => ({
  personId: null,
  organisationId: null,
  jurisdiction: null,
  openedAt: null,
  consents: new Map(),
  exploitationTypes: new Set(),
  firstContactAt: null,
  reasonableGroundsAt: null,
  positiveAt: null,
  conclusiveAt: null,
  conclusiveStatus: null,
  actualVictimAt: null,
  presumedChild: false,
  assessedAgeBand: null,
  unaccompaniedChildAt: null,
  guardianAppointedAt: null,
  referralsMade: new Set(),
  referralsCompleted: new Set(),
  shelterAdmittedAt: null,
  firstServiceAt: null,
  placed: false,
  lastShelterExitAt: null,
  assistanceEndedAt: null,
  housing: 'unknown',
  reflectionGrantedAt: null,
  reflectionDays: null,
  residenceDecisionAt: null,
  permitGranted: false,
  permitRefused: false,
  protectionLodged: new Set(),
  protectionDecided: new Set(),
  protectionGranted: false,
  criminalisedAt: [],
  compensationClaimed: false,
  compensationAwarded: false,
  compensationPaid: false,
  returnRiskAt: [],
  bestInterestsAt: [],
  returnDecidedAt: null,
  returnExecutedAt: null,
  reviews: [],
  reTraffickedAt: null,
  lostToFollowUpAt: null,
  closedAt: null,
  lastContactAt: null,
});

const EXIT_HOUSING: Readonly<Record<string, Housing>> = {
  moved_to_independent_housing: 'independent',
  moved_to_other_accommodation: 'other_accommodation',
  family_reunification: 'other_accommodation',
  voluntary_return: 'returned',
};

function identification(acc: Accumulator, type: string, data: Data, at: string): void {
  switch (type) {
    case 'JourneyOpened':
      acc.personId = str(data, 'personId') ?? null;
      acc.organisationId = str(data, 'openedByOrgId') ?? null;
      acc.jurisdiction = str(data, 'jurisdiction') ?? null;
      acc.openedAt = earliest(acc.openedAt, at);
      return;
    case 'FirstContactRecorded':
      acc.firstContactAt = earliest(acc.firstContactAt, at);
      return;
    case 'IndicatorsObserved':
      for (const value of strings(data, 'exploitationTypes')) acc.exploitationTypes.add(value);
      return;
    case 'ReasonableGroundsDecided':
      acc.reasonableGroundsAt = earliest(acc.reasonableGroundsAt, at);
      if (str(data, 'outcome') === 'positive') acc.positiveAt = earliest(acc.positiveAt, at);
      return;
    case 'ConclusiveGroundsDecided':
      acc.conclusiveAt = earliest(acc.conclusiveAt, at);
      acc.conclusiveStatus = str(data, 'status') ?? null;
      if (acc.conclusiveStatus === 'ActualVictimOfTrafficking')
        acc.actualVictimAt = earliest(acc.actualVictimAt, at);
      return;
    case 'AgeUncertaintyRecorded':
      acc.presumedChild = true;
      return;
    case 'AgeAssessed':
      acc.presumedChild = str(data, 'outcome') === 'child';
      acc.assessedAgeBand = (str(data, 'ageBand') as AgeBand | undefined) ?? acc.assessedAgeBand;
      return;
    case 'UnaccompaniedChildRecorded':
      acc.presumedChild = true;
      acc.unaccompaniedChildAt = earliest(acc.unaccompaniedChildAt, at);
      return;
    case 'GuardianAppointed':
      acc.guardianAppointedAt = earliest(acc.guardianAppointedAt, at);
      return;
    case 'ConsentRecorded':
      if (str(data, 'scope') === 'anonymous_reporting')
        acc.consents.set(str(data, 'consentId') ?? '', {
          until: str(data, 'validUntil') ?? null,
          withdrawn: false,
        });
      return;
    case 'ConsentWithdrawn': {
      const consent = acc.consents.get(str(data, 'consentId') ?? '');
      if (consent) consent.withdrawn = true;
      return;
    }
    case 'ReferralMade':
      acc.referralsMade.add(str(data, 'referralId') ?? '');
      return;
    case 'ReferralCompleted':
      acc.referralsCompleted.add(str(data, 'referralId') ?? '');
      return;
    default:
      return;
  }
}

function shelter(acc: Accumulator, type: string, data: Data, at: string): void {
  if (type === 'ShelterAdmitted' || type === 'ShelterTransferred') {
    acc.shelterAdmittedAt = earliest(acc.shelterAdmittedAt, at);
    acc.firstServiceAt = earliest(acc.firstServiceAt, at);
    acc.placed = true;
    acc.housing = 'shelter';
  } else if (type === 'ShelterExited') {
    acc.placed = false;
    acc.lastShelterExitAt = latest(acc.lastShelterExitAt, at);
    acc.housing = EXIT_HOUSING[str(data, 'reason') ?? ''] ?? 'unknown';
  }
}

function care(acc: Accumulator, type: string, at: string): void {
  if (type === 'CareDelivered') acc.firstServiceAt = earliest(acc.firstServiceAt, at);
  if (type === 'AssistanceEnded') acc.assistanceEndedAt = latest(acc.assistanceEndedAt, at);
}

function legal(acc: Accumulator, type: string, data: Data, at: string): void {
  switch (type) {
    case 'RecoveryReflectionPeriodGranted': {
      const begin = str(data, 'start');
      const end = str(data, 'end');
      if (acc.reflectionGrantedAt === null || at < acc.reflectionGrantedAt) {
        acc.reflectionGrantedAt = at;
        acc.reflectionDays =
          begin !== undefined && end !== undefined ? Math.round(daysBetween(begin, end)) : null;
      }
      return;
    }
    case 'ResidencePermitDecided':
      acc.residenceDecisionAt = earliest(acc.residenceDecisionAt, at);
      if (str(data, 'outcome') === 'granted') acc.permitGranted = true;
      else acc.permitRefused = true;
      return;
    case 'InternationalProtectionClaimLodged':
      acc.protectionLodged.add(str(data, 'claimId') ?? '');
      return;
    case 'InternationalProtectionClaimDecided':
      acc.protectionDecided.add(str(data, 'claimId') ?? '');
      if (PROTECTED.has(str(data, 'outcome') ?? '')) acc.protectionGranted = true;
      return;
    case 'CriminalChargeFiled':
    case 'PenaltyImposed':
      // An offence known to be unrelated to the trafficking is not criminalisation of a victim.
      if (str(data, 'linkedToTrafficking') !== 'no') acc.criminalisedAt.push(at);
      return;
    case 'CompensationClaimed':
    case 'CompensationClaimFiled':
      acc.compensationClaimed = true;
      return;
    case 'CompensationDecided':
      if (AWARDED.has(str(data, 'outcome') ?? '')) acc.compensationAwarded = true;
      return;
    case 'CompensationPaid':
      acc.compensationPaid = true;
      return;
    default:
      return;
  }
}

function reintegration(acc: Accumulator, type: string, data: Data, at: string): void {
  switch (type) {
    case 'RiskAssessmentCompleted':
      if (str(data, 'scope') === 'return') acc.returnRiskAt.push(at);
      return;
    case 'BestInterestsDetermined':
      acc.bestInterestsAt.push(at);
      return;
    case 'ReturnDecided':
    case 'AssistedReturnDecided':
      acc.returnDecidedAt = earliest(acc.returnDecidedAt, at);
      return;
    case 'ReturnExecuted':
      acc.returnExecutedAt = earliest(acc.returnExecutedAt, at);
      acc.housing = 'returned';
      return;
    case 'ReintegrationReviewCompleted': {
      const scores = object(data, 'scores');
      acc.reviews.push({
        on: at,
        economic: num(scores, 'economic') ?? 0,
        social: num(scores, 'social') ?? 0,
        psychosocial: num(scores, 'psychosocial') ?? 0,
        composite: num(scores, 'composite') ?? null,
        situation: situationOf(data),
      });
      return;
    }
    case 'ReTraffickingReported':
      acc.reTraffickedAt = earliest(acc.reTraffickedAt, at);
      return;
    case 'JourneyClosed':
      acc.closedAt = latest(acc.closedAt, at);
      if (LOST_REASONS.has(str(data, 'reason') ?? '')) acc.lostToFollowUpAt = at;
      return;
    default:
      return;
  }
}

function legalStatusOf(acc: Accumulator, person: PersonCodes | undefined): LegalStatus {
  const country = acc.jurisdiction?.slice(0, 2);
  if (country !== undefined && person?.citizenship.includes(country) === true) return 'national';
  if (acc.protectionGranted) return 'international_protection';
  if (acc.permitGranted) return 'residence_permit';
  if ([...acc.protectionLodged].some((claim) => !acc.protectionDecided.has(claim)))
    return 'pending';
  if (acc.permitRefused || acc.protectionDecided.size > 0) return 'refused';
  return 'none';
}

/**
 * Folds a journey's events (every service's stream, in log order, corrections included) and the
 * person's registry codes into one row of coarse facts. Retractions and amendments are applied
 * first (`effectiveEntries`), then the events are taken in the order they happened.
 */
export function foldJourney(
  journeyId: string,
  events: readonly CoarseEvent[],
  person: PersonCodes | undefined,
): JourneyFacts {
  const effective = effectiveEntries(events.map((event) => ({ eventId: event.eventId, event })))
    .map(({ event }) => ({ event, at: dayStart(whenOf(event)) }))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const acc = start();
  for (const { event, at } of effective) {
    const data = event.data;
    acc.lastContactAt = latest(acc.lastContactAt, at);
    if (event.source === 'identification') identification(acc, event.type, data, at);
    else if (event.source === 'shelter') shelter(acc, event.type, data, at);
    else if (event.source === 'care') care(acc, event.type, at);
    else if (event.source === 'legal') legal(acc, event.type, data, at);
    else reintegration(acc, event.type, data, at);
  }

  const ageBand: AgeBand = acc.assessedAgeBand ?? person?.ageBand ?? 'unknown';
  const child =
    acc.presumedChild ||
    CHILD_BANDS.has(ageBand) ||
    (acc.assessedAgeBand === null && person?.child === 'yes');
  const identifiedAt = acc.positiveAt ?? acc.actualVictimAt;
  const firstReturnAt = acc.returnDecidedAt ?? acc.returnExecutedAt;
  const before = (dates: readonly string[]): boolean =>
    firstReturnAt !== null && dates.some((at) => at <= firstReturnAt);
  const exitAt = [acc.placed ? null : acc.lastShelterExitAt, acc.assistanceEndedAt].reduce<
    string | null
  >((max, at) => (at === null ? max : latest(max, at)), null);
  const consent = [...acc.consents.values()].find((candidate) => !candidate.withdrawn);
  const citizenship = person?.citizenship[0] ?? null;

  return {
    journeyId,
    personId: acc.personId,
    organisationId: acc.organisationId,
    jurisdiction: acc.jurisdiction,
    consentAnonymousReporting: consent !== undefined,
    consentAnonymousReportingUntil: consent?.until ?? null,
    identifiedAt: acc.firstContactAt ?? acc.openedAt,
    gender: person?.gender ?? 'NonSpecifiedUnknown',
    ageBand,
    child,
    exploitationTypes: [...acc.exploitationTypes].sort(),
    citizenship,
    citizenshipRegion: regionOf(citizenship),
    firstContactAt: acc.firstContactAt,
    reasonableGroundsAt: acc.reasonableGroundsAt,
    reasonableGroundsOutcome:
      acc.positiveAt !== null ? 'positive' : acc.reasonableGroundsAt !== null ? 'negative' : null,
    conclusiveAt: acc.conclusiveAt,
    conclusiveStatus: acc.conclusiveStatus,
    reflectionGrantedAt: acc.reflectionGrantedAt,
    reflectionDays: acc.reflectionDays,
    unaccompaniedChildAt: acc.unaccompaniedChildAt,
    guardianAppointedAt: acc.guardianAppointedAt,
    returnDecidedAt: acc.returnDecidedAt,
    returnExecutedAt: acc.returnExecutedAt,
    returnRiskAssessed: before(acc.returnRiskAt),
    returnBestInterestsDetermined: before(acc.bestInterestsAt),
    childAtReturn: firstReturnAt !== null && child,
    criminalisedBeforeIdentification: acc.criminalisedAt.some(
      (at) => identifiedAt === null || at < identifiedAt,
    ),
    criminalisedAfterIdentification: acc.criminalisedAt.some(
      (at) => identifiedAt !== null && at >= identifiedAt,
    ),
    compensationClaimed: acc.compensationClaimed,
    compensationAwarded: acc.compensationAwarded,
    compensationPaid: acc.compensationPaid,
    referralsMade: acc.referralsMade.size,
    referralsCompleted: [...acc.referralsCompleted].filter((id) => acc.referralsMade.has(id))
      .length,
    shelterAdmittedAt: acc.shelterAdmittedAt,
    firstServiceAt: acc.firstServiceAt,
    residenceDecisionAt: acc.residenceDecisionAt,
    reviews: acc.reviews,
    housing: acc.housing,
    legalStatus: legalStatusOf(acc, person),
    followUpStartAt: acc.returnExecutedAt ?? exitAt,
    lastContactAt: acc.lastContactAt,
    reTraffickedAt: acc.reTraffickedAt,
    lostToFollowUpAt: acc.lostToFollowUpAt,
    closedAt: acc.closedAt,
  };
}
