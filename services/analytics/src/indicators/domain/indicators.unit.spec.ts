import { describe, expect, it } from 'vitest';
import { many } from '../../testing/facts-row.js';
import {
  computeIndicators,
  DEFAULT_SETTINGS,
  reTraffickingOutcome,
  reviewAt,
  type IndicatorContext,
} from './indicators.js';
import type { ReviewSituation } from '../../facts/domain/journey-facts.js';
import { DEFAULT_PRIVACY, type Statistic } from './privacy.js';

const context: IndicatorContext = {
  rules: DEFAULT_PRIVACY,
  settings: DEFAULT_SETTINGS,
  asOf: '2026-01-01T00:00:00.000Z',
};
const day = (date: string): string => `${date}T00:00:00.000Z`;

function indicator(cohort: Parameters<typeof computeIndicators>[0], key: string): Statistic {
  const found = computeIndicators(cohort, context).find((result) => result.key === key);
  if (!found) throw new Error(`no indicator ${key}`);
  return found.statistic;
}

describe('process indicators over a small cohort', () => {
  // 40 journeys, first contact on 1 February 2025:
  // 10 decided positive after 10 days and assisted, with a 45-day reflection period;
  // 10 decided positive after 20 days, not assisted, with a 20-day reflection period;
  // 10 decided negative after 30 days; 10 with no decision yet.
  const positiveEarly = many(10, {
    reasonableGroundsAt: day('2025-02-11'),
    reasonableGroundsOutcome: 'positive',
    firstServiceAt: day('2025-02-04'),
    reflectionGrantedAt: day('2025-02-11'),
    reflectionDays: 45,
  });
  const positiveLate = many(10, {
    reasonableGroundsAt: day('2025-02-21'),
    reasonableGroundsOutcome: 'positive',
    reflectionGrantedAt: day('2025-02-21'),
    reflectionDays: 20,
    criminalisedBeforeIdentification: true,
  });
  const negative = many(10, {
    reasonableGroundsAt: day('2025-03-03'),
    reasonableGroundsOutcome: 'negative',
  });
  const undecided = many(10);
  const cohort = [...positiveEarly, ...positiveLate, ...negative, ...undecided];

  it('counts the cohort, rounded down to 10', () => {
    expect(indicator(cohort, 'journeys')).toEqual({ status: 'published', value: 40, n: 40 });
    expect(indicator(cohort.slice(0, 37), 'journeys')).toEqual({
      status: 'published',
      value: 30,
      n: 30,
    });
  });

  it('takes the median days from first contact to a decision over the 30 decided', () => {
    // ten 10s, ten 20s, ten 30s: the median is 20.
    expect(indicator(cohort, 'days_first_contact_to_reasonable_grounds')).toEqual({
      status: 'published',
      value: 20,
      n: 30,
    });
  });

  it('shares assistance and reflection periods among the 20 with positive grounds', () => {
    expect(indicator(cohort, 'assisted_after_positive_reasonable_grounds')).toEqual({
      status: 'published',
      value: 50,
      n: 20,
    });
    expect(indicator(cohort, 'reflection_period_granted')).toEqual({
      status: 'published',
      value: 100,
      n: 20,
    });
    expect(indicator(cohort, 'reflection_period_at_least_30_days')).toEqual({
      status: 'published',
      value: 50,
      n: 20,
    });
  });

  it('shares criminalisation before identification over every journey', () => {
    expect(indicator(cohort, 'criminalised_before_identification')).toEqual({
      status: 'published',
      value: 25,
      n: 40,
    });
  });

  it('suppresses what rests on fewer than 10 journeys', () => {
    expect(indicator(cohort, 'days_reasonable_grounds_to_conclusive')).toEqual({
      status: 'suppressed',
      reason: 'too_few_journeys',
    });
    expect(indicator(cohort.slice(0, 9), 'journeys').status).toBe('suppressed');
  });

  it('judges guardians by the configured hours', () => {
    const inTime = many(10, {
      child: true,
      unaccompaniedChildAt: '2025-02-01T08:00:00.000Z',
      guardianAppointedAt: '2025-02-02T08:00:00.000Z',
    });
    const late = many(10, {
      child: true,
      unaccompaniedChildAt: '2025-02-01T08:00:00.000Z',
      guardianAppointedAt: '2025-02-06T08:00:00.000Z',
    });
    expect(indicator([...inTime, ...late], 'guardian_appointed_in_time')).toEqual({
      status: 'published',
      value: 50,
      n: 20,
    });
  });

  it('shares completed referrals over referrals made', () => {
    const referred = many(10, { referralsMade: 3, referralsCompleted: 2 });
    const once = many(10, { referralsMade: 1, referralsCompleted: 0 });
    // 20 of 40 referrals completed.
    expect(indicator([...referred, ...once], 'referrals_completed')).toEqual({
      status: 'published',
      value: 50,
      n: 40,
    });
  });
});

describe('outcome indicators', () => {
  describe('re-trafficking', () => {
    // Followed up from a return on 1 January 2023; figures as of 1 January 2026.
    const start = day('2023-01-01');
    const retrafficked = many(10, {
      followUpStartAt: start,
      reTraffickedAt: day('2023-04-11'),
      lastContactAt: day('2023-04-11'),
    });
    const followed = many(10, { followUpStartAt: start, lastContactAt: day('2025-03-11') });
    const lost = many(10, { followUpStartAt: start, lastContactAt: day('2023-04-11') });
    const recent = many(10, {
      followUpStartAt: day('2025-10-01'),
      lastContactAt: day('2025-10-01'),
    });
    const cohort = [...retrafficked, ...followed, ...lost, ...recent];

    it('is incidence among those re-trafficked or still followed, leaving the lost out', () => {
      expect(indicator(cohort, 're_trafficking_12m')).toEqual({
        status: 'published',
        value: 50,
        n: 20,
      });
      expect(indicator(cohort, 're_trafficking_24m')).toEqual({
        status: 'published',
        value: 50,
        n: 20,
      });
    });

    it('reports loss to follow-up beside it, among those whose horizon has passed', () => {
      expect(indicator(cohort, 'lost_to_follow_up_12m')).toEqual({
        status: 'published',
        value: 33,
        n: 30,
      });
    });

    it('classifies each journey', () => {
      const [oneRecent] = recent;
      const [oneLost] = lost;
      if (!oneRecent || !oneLost) throw new Error('cohort');
      expect(reTraffickingOutcome(oneRecent, 12, context.asOf)).toBe('not_due');
      expect(reTraffickingOutcome(oneLost, 12, context.asOf)).toBe('lost');
    });
  });

  describe('review scores', () => {
    const score = { social: 0.5, composite: null, situation: null };
    const reviews = [
      { ...score, on: day('2025-01-01'), economic: 0.2, psychosocial: 0.4 },
      { ...score, on: day('2025-04-02'), economic: 0.5, psychosocial: 0.6 },
      { ...score, on: day('2025-05-20'), economic: 0.9, psychosocial: 0.6 },
    ];
    const cohort = many(10, { reviews });

    it('picks the review closest to 3 months after the first, within the window', () => {
      expect(reviewAt(reviews, 3, 45)?.on).toBe(day('2025-04-02'));
      expect(reviewAt(reviews, 12, 45)).toBeUndefined();
    });

    it('gives mean scores and their change from baseline', () => {
      expect(indicator(cohort, 'review_economic_baseline')).toEqual({
        status: 'published',
        value: 0.2,
        n: 10,
      });
      expect(indicator(cohort, 'review_economic_change_m3')).toEqual({
        status: 'published',
        value: 0.3,
        n: 10,
      });
      expect(indicator(cohort, 'review_economic_m12').status).toBe('suppressed');
      expect(indicator(cohort, 'review_composite_baseline').status).toBe('suppressed');
    });
  });

  describe('the situation the reviews found', () => {
    // Reviews on 1 January 2025 (baseline), 2 April 2025 (3 months) and 1 January 2026 (12
    // months); none near 6 months. 20 adults found in temporary housing, then housed; 10 adults
    // found homeless, then with family; 10 children with family, then back in school; 10 whose
    // reviews recorded no situation (before it was asked), who count nowhere.
    const at = (on: string, situation: Partial<ReviewSituation> | null) => ({
      on: day(on),
      economic: 0.5,
      social: 0.5,
      psychosocial: 0.5,
      composite: null,
      situation:
        situation === null
          ? null
          : {
              housing: null,
              work: null,
              school: null,
              feelsSafe: null,
              legalStatus: null,
              ...situation,
            },
    });
    const housedAdults = many(20, {
      reviews: [
        at('2025-01-01', {
          housing: 'shelter_or_temporary',
          work: 'unemployed_seeking',
          school: 'not_applicable',
          feelsSafe: 'no',
          legalStatus: 'pending',
        }),
        at('2025-04-02', {
          housing: 'stable_own',
          work: 'in_training',
          feelsSafe: 'somewhat',
          legalStatus: 'regular',
        }),
        at('2026-01-01', {
          housing: 'stable_own',
          work: 'employed',
          feelsSafe: 'yes',
          legalStatus: 'regular',
        }),
      ],
    });
    const returnedAdults = many(10, {
      reviews: [
        at('2025-01-01', {
          housing: 'homeless',
          work: 'not_seeking',
          school: 'enrolled_attending',
          feelsSafe: 'declined',
          legalStatus: 'citizen_returned',
        }),
        at('2025-04-02', {
          housing: 'stable_family',
          work: 'unknown',
          feelsSafe: 'yes',
          legalStatus: 'citizen_returned',
        }),
        at('2026-01-01', { housing: 'unknown', work: 'self_employed', feelsSafe: 'no' }),
      ],
    });
    const children = many(10, {
      child: true,
      reviews: [
        at('2025-01-01', { housing: 'stable_family', school: 'not_enrolled', feelsSafe: 'yes' }),
        at('2025-04-02', {
          housing: 'stable_family',
          school: 'enrolled_attending',
          feelsSafe: 'yes',
        }),
      ],
    });
    const unasked = many(10, {
      child: true,
      reviews: [at('2025-01-01', null), at('2025-04-02', null), at('2026-01-01', null)],
    });
    const cohort = [...housedAdults, ...returnedAdults, ...children, ...unasked];
    const published = (value: number, n: number): Statistic => ({ status: 'published', value, n });

    it('shares stable housing over those whose housing is known, at each point', () => {
      // Baseline: 10 with family of 40 known; 3 months: all 40; 12 months: 20 of 20 (unknown left out).
      expect(indicator(cohort, 'review_housed_stably_baseline')).toEqual(published(25, 40));
      expect(indicator(cohort, 'review_housed_stably_m3')).toEqual(published(100, 40));
      expect(indicator(cohort, 'review_housed_stably_m12')).toEqual(published(100, 20));
    });

    it('shares work or training over those whose work is known, not seeking included', () => {
      expect(indicator(cohort, 'review_in_work_or_training_baseline')).toEqual(published(0, 30));
      expect(indicator(cohort, 'review_in_work_or_training_m3')).toEqual(published(100, 20));
      expect(indicator(cohort, 'review_in_work_or_training_m12')).toEqual(published(100, 30));
    });

    it('shares children attending school over children with a school answer, adults left out', () => {
      expect(indicator(cohort, 'review_children_in_school_baseline')).toEqual(published(0, 10));
      expect(indicator(cohort, 'review_children_in_school_m3')).toEqual(published(100, 10));
    });

    it('shares feeling safe (yes) over those who answered, declined left out', () => {
      expect(indicator(cohort, 'review_feeling_safe_baseline')).toEqual(published(33, 30));
      expect(indicator(cohort, 'review_feeling_safe_m3')).toEqual(published(50, 40));
      expect(indicator(cohort, 'review_feeling_safe_m12')).toEqual(published(67, 30));
    });

    it('shares regular status over those whose status is in question, returned citizens left out', () => {
      expect(indicator(cohort, 'review_legal_status_regular_baseline')).toEqual(published(0, 20));
      expect(indicator(cohort, 'review_legal_status_regular_m3')).toEqual(published(100, 20));
    });

    it('suppresses a point no review is near, and small cells', () => {
      expect(indicator(cohort, 'review_housed_stably_m6')).toEqual({
        status: 'suppressed',
        reason: 'too_few_journeys',
      });
      // 5 of the 20 housed adults found housed at baseline would single them out.
      const someHoused = housedAdults.map((row, index) =>
        index < 5 ? { ...row, reviews: [at('2025-01-01', { housing: 'stable_own' })] } : row,
      );
      expect(indicator(someHoused, 'review_housed_stably_baseline')).toEqual({
        status: 'suppressed',
        reason: 'small_cell',
      });
    });
  });

  it('shares legal status among non-nationals only', () => {
    const cohort = [
      ...many(10, { legalStatus: 'residence_permit' }),
      ...many(10, { legalStatus: 'pending' }),
      ...many(30, { legalStatus: 'national' }),
    ];
    expect(indicator(cohort, 'legal_status_residence_permit')).toEqual({
      status: 'published',
      value: 50,
      n: 20,
    });
  });
});
