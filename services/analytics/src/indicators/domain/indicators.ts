import { daysBetween } from '../../facts/domain/fold-journey.js';
import type { JourneyFacts, ReviewScore } from '../../facts/domain/journey-facts.js';
import {
  publishCount,
  publishMean,
  publishMedian,
  publishShare,
  type PrivacyRules,
  type Statistic,
} from './privacy.js';

/** Settings of the indicators that are policy, not law (only the 30 days is fixed in law). */
export interface IndicatorSettings {
  /** A guardian appointed within this many hours of the unaccompanied child being recorded is "in time". */
  readonly guardianWithinHours: number;
  /** A review counts for month m when it is within this many days of baseline + m months. */
  readonly reviewWindowDays: number;
}

export const DEFAULT_SETTINGS: IndicatorSettings = {
  guardianWithinHours: 72,
  reviewWindowDays: 45,
};

export interface IndicatorContext {
  readonly rules: PrivacyRules;
  readonly settings: IndicatorSettings;
  /** The day the figures are computed for (ISO instant): what is "not yet due" depends on it. */
  readonly asOf: string;
}

/** What an indicator computes before the publication rules apply. */
export type RawStatistic =
  | { readonly kind: 'count'; readonly count: number }
  | {
      readonly kind: 'share';
      readonly numerator: number;
      readonly denominator: number;
      /** Journeys the share is computed from (the denominator counts referrals for one indicator). */
      readonly journeys: number;
    }
  | { readonly kind: 'median_days'; readonly values: readonly number[] }
  | { readonly kind: 'mean'; readonly values: readonly number[] };

export interface IndicatorDefinition {
  readonly key: string;
  readonly group: 'process' | 'outcome';
  readonly label: string;
  /** Numerator, denominator and dates, in words: the README's table is made of these. */
  readonly definition: string;
  compute(cohort: readonly JourneyFacts[], context: IndicatorContext): RawStatistic;
}

export interface IndicatorResult {
  readonly key: string;
  readonly group: 'process' | 'outcome';
  readonly label: string;
  readonly kind: RawStatistic['kind'];
  readonly statistic: Statistic;
}

const MONTH_DAYS = 365.25 / 12;
const HORIZONS = [12, 24] as const;
const REVIEW_MONTHS = [3, 6, 12] as const;
const DIMENSIONS = ['economic', 'social', 'psychosocial', 'composite'] as const;
type Dimension = (typeof DIMENSIONS)[number];

const share = (
  cohort: readonly JourneyFacts[],
  inBase: (row: JourneyFacts) => boolean,
  has: (row: JourneyFacts) => boolean,
): RawStatistic => {
  const base = cohort.filter(inBase);
  const numerator = base.filter(has).length;
  return { kind: 'share', numerator, denominator: base.length, journeys: base.length };
};

const days = (
  cohort: readonly JourneyFacts[],
  from: (row: JourneyFacts) => string | null,
  to: (row: JourneyFacts) => string | null,
): RawStatistic => ({
  kind: 'median_days',
  values: cohort.flatMap((row) => {
    const start = from(row);
    const end = to(row);
    return start === null || end === null || end < start ? [] : [daysBetween(start, end)];
  }),
});

const all = (): boolean => true;
const positiveRg = (row: JourneyFacts): boolean => row.reasonableGroundsOutcome === 'positive';
const returned = (row: JourneyFacts): boolean =>
  row.returnDecidedAt !== null || row.returnExecutedAt !== null;
const nonNational = (row: JourneyFacts): boolean => row.legalStatus !== 'national';

const PROCESS: readonly IndicatorDefinition[] = [
  {
    key: 'journeys',
    group: 'process',
    label: 'Journeys in the cohort',
    definition: 'Journeys matching the filter (with a consent to anonymous reporting).',
    compute: (cohort) => ({ kind: 'count', count: cohort.length }),
  },
  {
    key: 'days_first_contact_to_reasonable_grounds',
    group: 'process',
    label: 'Median days, first contact to reasonable-grounds decision',
    definition:
      'Days from the first contact to the first reasonable-grounds decision (either outcome), over journeys with both.',
    compute: (cohort) =>
      days(
        cohort,
        (row) => row.firstContactAt,
        (row) => row.reasonableGroundsAt,
      ),
  },
  {
    key: 'days_reasonable_grounds_to_conclusive',
    group: 'process',
    label: 'Median days, reasonable grounds to conclusive decision',
    definition:
      'Days from the first reasonable-grounds decision to the first conclusive decision, over journeys with a positive reasonable-grounds decision and a conclusive decision.',
    compute: (cohort) =>
      days(
        cohort.filter(positiveRg),
        (row) => row.reasonableGroundsAt,
        (row) => row.conclusiveAt,
      ),
  },
  {
    key: 'assisted_after_positive_reasonable_grounds',
    group: 'process',
    label: 'Assisted, of those with positive reasonable grounds',
    definition:
      'Journeys with a positive reasonable-grounds decision that have a shelter admission or care delivered on record, over journeys with a positive reasonable-grounds decision.',
    compute: (cohort) => share(cohort, positiveRg, (row) => row.firstServiceAt !== null),
  },
  {
    key: 'reflection_period_granted',
    group: 'process',
    label: 'Reflection period granted, of those with positive reasonable grounds',
    definition:
      'Journeys with a recovery and reflection period granted, over journeys with a positive reasonable-grounds decision.',
    compute: (cohort) => share(cohort, positiveRg, (row) => row.reflectionGrantedAt !== null),
  },
  {
    key: 'reflection_period_at_least_30_days',
    group: 'process',
    label: 'Reflection periods of at least 30 days',
    definition:
      'First reflection periods granted whose end minus start is at least 30 days, over journeys with a reflection period granted.',
    compute: (cohort) =>
      share(
        cohort,
        (row) => row.reflectionDays !== null,
        (row) => (row.reflectionDays ?? 0) >= 30,
      ),
  },
  {
    key: 'guardian_appointed_in_time',
    group: 'process',
    label: 'Unaccompanied children with a guardian in time',
    definition:
      'Unaccompanied children with a guardian appointed within the configured hours (default 72) of being recorded as unaccompanied, over unaccompanied children.',
    compute: (cohort, { settings }) =>
      share(
        cohort,
        (row) => row.unaccompaniedChildAt !== null,
        (row) =>
          row.guardianAppointedAt !== null &&
          row.unaccompaniedChildAt !== null &&
          daysBetween(row.unaccompaniedChildAt, row.guardianAppointedAt) * 24 <=
            settings.guardianWithinHours,
      ),
  },
  {
    key: 'returns_with_risk_assessment',
    group: 'process',
    label: 'Returns with a prior risk assessment',
    definition:
      'Journeys whose first return (decided or executed) came after a return risk assessment, over journeys with a return.',
    compute: (cohort) => share(cohort, returned, (row) => row.returnRiskAssessed),
  },
  {
    key: 'child_returns_with_best_interests_determination',
    group: 'process',
    label: 'Child returns with a prior best-interests determination',
    definition:
      'Journeys of children whose first return came after a best-interests determination, over journeys of children with a return.',
    compute: (cohort) =>
      share(
        cohort,
        (row) => row.childAtReturn,
        (row) => row.returnBestInterestsDetermined,
      ),
  },
  {
    key: 'criminalised_before_identification',
    group: 'process',
    label: 'Charged or penalised before identification',
    definition:
      'Journeys with a criminal charge or penalty (not known to be unrelated to the trafficking) dated before the first positive identification decision, or with no positive decision, over all journeys.',
    compute: (cohort) => share(cohort, all, (row) => row.criminalisedBeforeIdentification),
  },
  {
    key: 'criminalised_after_identification',
    group: 'process',
    label: 'Charged or penalised after identification',
    definition:
      'Journeys with such a charge or penalty on or after the first positive identification decision, over journeys with a positive reasonable-grounds decision.',
    compute: (cohort) => share(cohort, positiveRg, (row) => row.criminalisedAfterIdentification),
  },
  {
    key: 'compensation_claimed',
    group: 'process',
    label: 'Compensation claimed',
    definition: 'Journeys with a compensation claim, over all journeys.',
    compute: (cohort) => share(cohort, all, (row) => row.compensationClaimed),
  },
  {
    key: 'compensation_awarded',
    group: 'process',
    label: 'Compensation awarded, of claims',
    definition:
      'Journeys with a claim awarded, partially awarded or settled, over journeys with a claim.',
    compute: (cohort) =>
      share(
        cohort,
        (row) => row.compensationClaimed,
        (row) => row.compensationAwarded,
      ),
  },
  {
    key: 'compensation_paid',
    group: 'process',
    label: 'Compensation paid, of awards',
    definition: 'Journeys with a payment on record, over journeys with an award.',
    compute: (cohort) =>
      share(
        cohort,
        (row) => row.compensationAwarded,
        (row) => row.compensationPaid,
      ),
  },
  {
    key: 'referrals_completed',
    group: 'process',
    label: 'Referrals completed',
    definition:
      'Referrals completed over referrals made, over journeys with at least one referral (the journeys count for suppression).',
    compute: (cohort) => {
      const referred = cohort.filter((row) => row.referralsMade > 0);
      return {
        kind: 'share',
        numerator: referred.reduce((sum, row) => sum + row.referralsCompleted, 0),
        denominator: referred.reduce((sum, row) => sum + row.referralsMade, 0),
        journeys: referred.length,
      };
    },
  },
  {
    key: 'days_to_first_service',
    group: 'process',
    label: 'Median days, first contact to first service',
    definition:
      'Days from the first contact to the first shelter admission or care delivered, over journeys with both.',
    compute: (cohort) =>
      days(
        cohort,
        (row) => row.firstContactAt,
        (row) => row.firstServiceAt,
      ),
  },
];

/** The review closest to baseline + m months, within the window; undefined when there is none. */
export function reviewAt(
  reviews: readonly ReviewScore[],
  months: number,
  windowDays: number,
): ReviewScore | undefined {
  const [baseline, ...later] = reviews;
  if (!baseline) return undefined;
  const target = months * MONTH_DAYS;
  let best: { review: ReviewScore; distance: number } | undefined;
  for (const review of later) {
    const distance = Math.abs(daysBetween(baseline.on, review.on) - target);
    if (distance <= windowDays && (best === undefined || distance < best.distance))
      best = { review, distance };
  }
  return best?.review;
}

/**
 * The score and situation indicators read the same reviews at the same points: each journey's
 * answer is kept with its reviews (weakly, so it goes with the rows).
 */
const reviewPoints = new WeakMap<readonly ReviewScore[], Map<string, ReviewScore | undefined>>();
function cachedReviewAt(
  reviews: readonly ReviewScore[],
  months: number,
  windowDays: number,
): ReviewScore | undefined {
  if (reviews.length < 2) return undefined;
  const key = `${String(months)}/${String(windowDays)}`;
  let points = reviewPoints.get(reviews);
  if (!points) {
    points = new Map();
    reviewPoints.set(reviews, points);
  }
  if (!points.has(key)) points.set(key, reviewAt(reviews, months, windowDays));
  return points.get(key);
}

const scoreOf = (review: ReviewScore, dimension: Dimension): number | null =>
  dimension === 'composite' ? review.composite : review[dimension];

function reviewIndicators(): IndicatorDefinition[] {
  return DIMENSIONS.flatMap((dimension) => [
    {
      key: `review_${dimension}_baseline`,
      group: 'outcome' as const,
      label: `Mean ${dimension} score at the first review`,
      definition: `Mean ${dimension} RSS score (0 to 1) at each journey's first reintegration review.`,
      compute: (cohort: readonly JourneyFacts[]): RawStatistic => ({
        kind: 'mean',
        values: cohort.flatMap((row) => {
          const first = row.reviews[0];
          const score = first === undefined ? null : scoreOf(first, dimension);
          return score === null ? [] : [score];
        }),
      }),
    },
    ...REVIEW_MONTHS.flatMap((months) => [
      {
        key: `review_${dimension}_m${String(months)}`,
        group: 'outcome' as const,
        label: `Mean ${dimension} score at ${String(months)} months`,
        definition: `Mean ${dimension} score of the review closest to ${String(months)} months after the first (within the configured window, default ±45 days).`,
        compute: (
          cohort: readonly JourneyFacts[],
          { settings }: IndicatorContext,
        ): RawStatistic => ({
          kind: 'mean',
          values: cohort.flatMap((row) => {
            const review = cachedReviewAt(row.reviews, months, settings.reviewWindowDays);
            const score = review === undefined ? null : scoreOf(review, dimension);
            return score === null ? [] : [score];
          }),
        }),
      },
      {
        key: `review_${dimension}_change_m${String(months)}`,
        group: 'outcome' as const,
        label: `Mean change in ${dimension} score from baseline at ${String(months)} months`,
        definition: `Mean of (score at ${String(months)} months minus score at the first review), over journeys with both.`,
        compute: (
          cohort: readonly JourneyFacts[],
          { settings }: IndicatorContext,
        ): RawStatistic => ({
          kind: 'mean',
          values: cohort.flatMap((row) => {
            const first = row.reviews[0];
            const review = cachedReviewAt(row.reviews, months, settings.reviewWindowDays);
            if (first === undefined || review === undefined) return [];
            const before = scoreOf(first, dimension);
            const after = scoreOf(review, dimension);
            return before === null || after === null ? [] : [after - before];
          }),
        }),
      },
    ]),
  ]);
}

type Situation = NonNullable<ReviewScore['situation']>;

/** An outcome a review's situation answers: who has it, over whom, in words and as tests. */
interface SituationOutcome {
  readonly name: string;
  readonly label: string;
  readonly definition: string;
  counts(situation: Situation, row: JourneyFacts): boolean;
  achieved(situation: Situation): boolean;
}

const STABLE_HOUSING = new Set<Situation['housing']>(['stable_own', 'stable_family']);
const KNOWN_HOUSING = new Set<Situation['housing']>([
  'stable_own',
  'stable_family',
  'shelter_or_temporary',
  'homeless',
]);
const IN_WORK_OR_TRAINING = new Set<Situation['work']>([
  'employed',
  'self_employed',
  'in_training',
]);
const KNOWN_WORK = new Set<Situation['work']>([
  ...IN_WORK_OR_TRAINING,
  'unemployed_seeking',
  'not_seeking',
]);
const SCHOOL_ANSWERED = new Set<Situation['school']>([
  'enrolled_attending',
  'enrolled_not_attending',
  'not_enrolled',
]);
const SAFETY_ANSWERED = new Set<Situation['feelsSafe']>(['yes', 'somewhat', 'no']);
const STATUS_IN_QUESTION = new Set<Situation['legalStatus']>(['regular', 'pending', 'irregular']);

/**
 * Housing, work, school, safety and legal status as the reviews found them. `unknown`, a
 * declined answer and a question not asked leave a journey out of the base, never in it.
 */
const SITUATION_OUTCOMES: readonly SituationOutcome[] = [
  {
    name: 'housed_stably',
    label: 'Housed stably',
    definition:
      'journeys found housed stable_own or stable_family, over journeys with a housing answer (unknown left out)',
    counts: (situation) => KNOWN_HOUSING.has(situation.housing),
    achieved: (situation) => STABLE_HOUSING.has(situation.housing),
  },
  {
    name: 'in_work_or_training',
    label: 'In work or training',
    definition:
      'journeys found employed, self_employed or in_training, over journeys with a work answer (unknown left out; not_seeking counts in the base)',
    counts: (situation) => KNOWN_WORK.has(situation.work),
    achieved: (situation) => IN_WORK_OR_TRAINING.has(situation.work),
  },
  {
    name: 'children_in_school',
    label: 'Children in school',
    definition:
      'children (at identification) found enrolled_attending, over children found enrolled_attending, enrolled_not_attending or not_enrolled (not_applicable and unknown left out)',
    counts: (situation, row) => row.child && SCHOOL_ANSWERED.has(situation.school),
    achieved: (situation) => situation.school === 'enrolled_attending',
  },
  {
    name: 'feeling_safe',
    label: 'Feeling safe',
    definition:
      'persons who answered yes to feeling safe, over those who answered yes, somewhat or no (declined left out)',
    counts: (situation) => SAFETY_ANSWERED.has(situation.feelsSafe),
    achieved: (situation) => situation.feelsSafe === 'yes',
  },
  {
    name: 'legal_status_regular',
    label: 'Legal status regular',
    definition:
      'journeys found with a regular legal status, over those found regular, pending or irregular (a returned citizen, whose status is not in question, and unknown left out)',
    counts: (situation) => STATUS_IN_QUESTION.has(situation.legalStatus),
    achieved: (situation) => situation.legalStatus === 'regular',
  },
];

/** The review a point reads: the first one (baseline), or the one closest to m months after it. */
interface ReviewPoint {
  readonly suffix: string;
  readonly label: string;
  readonly when: string;
  review(row: JourneyFacts, settings: IndicatorSettings): ReviewScore | undefined;
}

const REVIEW_POINTS: readonly ReviewPoint[] = [
  {
    suffix: 'baseline',
    label: 'at the first review',
    when: "each journey's first reintegration review",
    review: (row) => row.reviews[0],
  },
  ...REVIEW_MONTHS.map((months): ReviewPoint => ({
    suffix: `m${String(months)}`,
    label: `at ${String(months)} months`,
    when: `the review closest to ${String(months)} months after the first (within the configured window, default ±45 days)`,
    review: (row, settings) => cachedReviewAt(row.reviews, months, settings.reviewWindowDays),
  })),
];

function situationIndicators(): IndicatorDefinition[] {
  return SITUATION_OUTCOMES.flatMap((outcome) =>
    REVIEW_POINTS.map((point): IndicatorDefinition => ({
      key: `review_${outcome.name}_${point.suffix}`,
      group: 'outcome',
      label: `${outcome.label} ${point.label}`,
      definition: `At ${point.when}: ${outcome.definition}. A question not asked leaves the journey out.`,
      compute: (cohort, { settings }) => {
        let numerator = 0;
        let denominator = 0;
        for (const row of cohort) {
          const situation = point.review(row, settings)?.situation;
          if (!situation || !outcome.counts(situation, row)) continue;
          denominator += 1;
          if (outcome.achieved(situation)) numerator += 1;
        }
        return { kind: 'share', numerator, denominator, journeys: denominator };
      },
    })),
  );
}

const HOUSING = ['shelter', 'independent', 'other_accommodation', 'returned'] as const;
const LEGAL_STATUSES = [
  'residence_permit',
  'international_protection',
  'pending',
  'refused',
  'none',
] as const;

/** How a journey stands `months` after its follow-up started. */
export function reTraffickingOutcome(
  row: JourneyFacts,
  months: number,
  asOf: string,
): 'event' | 'no_event' | 'lost' | 'not_due' | 'not_followed' {
  const start = row.followUpStartAt;
  if (start === null) return 'not_followed';
  const horizon = months * MONTH_DAYS;
  if (
    row.reTraffickedAt !== null &&
    row.reTraffickedAt >= start &&
    daysBetween(start, row.reTraffickedAt) <= horizon
  )
    return 'event';
  if (row.lastContactAt !== null && daysBetween(start, row.lastContactAt) >= horizon)
    return 'no_event';
  if (row.reTraffickedAt !== null && row.reTraffickedAt >= start) return 'no_event';
  if (daysBetween(start, asOf) < horizon) return 'not_due';
  return 'lost';
}

const OUTCOMES: readonly IndicatorDefinition[] = [
  ...reviewIndicators(),
  ...situationIndicators(),
  ...HOUSING.map((housing): IndicatorDefinition => ({
    key: `housing_${housing}`,
    group: 'outcome',
    label: `Housing at last record: ${housing.replace('_', ' ')}`,
    definition: `Journeys whose last housing on record (shelter placement and exit reason, return) is ${housing}, over all journeys.`,
    compute: (cohort) => share(cohort, all, (row) => row.housing === housing),
  })),
  ...LEGAL_STATUSES.map((status): IndicatorDefinition => ({
    key: `legal_status_${status}`,
    group: 'outcome',
    label: `Legal status of non-nationals: ${status.replace('_', ' ')}`,
    definition: `Non-nationals (citizenship other than the jurisdiction's country) whose legal status is ${status} (protection or a permit granted first; then a pending claim; then a refusal), over non-nationals.`,
    compute: (cohort) => share(cohort, nonNational, (row) => row.legalStatus === status),
  })),
  ...HORIZONS.flatMap((months): IndicatorDefinition[] => [
    {
      key: `re_trafficking_${String(months)}m`,
      group: 'outcome',
      label: `Re-trafficked within ${String(months)} months of exit or return`,
      definition: `Journeys reported re-trafficked within ${String(months)} months of the return (or the end of shelter and care), over those re-trafficked in that time or still followed up at ${String(months)} months; those lost to follow-up are left out and reported beside.`,
      compute: (cohort, { asOf }) => {
        const outcomes = cohort.map((row) => reTraffickingOutcome(row, months, asOf));
        const events = outcomes.filter((outcome) => outcome === 'event').length;
        const known = events + outcomes.filter((outcome) => outcome === 'no_event').length;
        return { kind: 'share', numerator: events, denominator: known, journeys: known };
      },
    },
    {
      key: `lost_to_follow_up_${String(months)}m`,
      group: 'outcome',
      label: `Lost to follow-up before ${String(months)} months`,
      definition: `Journeys whose ${String(months)} months since exit or return have passed without a report of re-trafficking or a contact at or after ${String(months)} months, over journeys whose ${String(months)} months have passed.`,
      compute: (cohort, { asOf }) => {
        const outcomes = cohort
          .map((row) => reTraffickingOutcome(row, months, asOf))
          .filter((outcome) => outcome !== 'not_due' && outcome !== 'not_followed');
        const lost = outcomes.filter((outcome) => outcome === 'lost').length;
        return {
          kind: 'share',
          numerator: lost,
          denominator: outcomes.length,
          journeys: outcomes.length,
        };
      },
    },
  ]),
];

export const INDICATORS: readonly IndicatorDefinition[] = [...PROCESS, ...OUTCOMES];

export function publish(raw: RawStatistic, rules: PrivacyRules): Statistic {
  switch (raw.kind) {
    case 'count':
      return publishCount(raw.count, rules);
    case 'share':
      return publishShare(raw.numerator, raw.denominator, raw.journeys, rules);
    case 'median_days':
      return publishMedian(raw.values, rules);
    case 'mean':
      return publishMean(raw.values, rules);
  }
}

/** Every indicator over the cohort, as published. */
export function computeIndicators(
  cohort: readonly JourneyFacts[],
  context: IndicatorContext,
): IndicatorResult[] {
  return INDICATORS.map((indicator) => {
    const raw = indicator.compute(cohort, context);
    return {
      key: indicator.key,
      group: indicator.group,
      label: indicator.label,
      kind: raw.kind,
      statistic: publish(raw, context.rules),
    };
  });
}
