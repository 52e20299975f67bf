import {
  REVIEW_FEELS_SAFE,
  REVIEW_HOUSING,
  REVIEW_LEGAL_STATUS,
  REVIEW_SCHOOL,
  REVIEW_WORK,
} from '@waypoint/contracts';
import fc from 'fast-check';
import type { JourneyFacts } from '../facts/domain/journey-facts.js';
import { factsRow } from './facts-row.js';

const instant = fc
  .integer({ min: Date.UTC(2021, 0, 1), max: Date.UTC(2025, 11, 31) })
  .map((ms) => new Date(ms).toISOString());
const maybe = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> =>
  fc.option(arbitrary, { nil: null, freq: 2 });
const DAY_MS = 86_400_000;
const score = fc.double({ min: 0, max: 1, noNaN: true });
/** A review's situation: often missing as a whole or aspect by aspect, as in real records. */
const situation = maybe(
  fc.record({
    housing: maybe(fc.constantFrom(...REVIEW_HOUSING)),
    work: maybe(fc.constantFrom(...REVIEW_WORK)),
    school: maybe(fc.constantFrom(...REVIEW_SCHOOL)),
    feelsSafe: maybe(fc.constantFrom(...REVIEW_FEELS_SAFE)),
    legalStatus: maybe(fc.constantFrom(...REVIEW_LEGAL_STATUS)),
  }),
);

/** Journeys whose keys collide often (few values each), so that small and large cells both occur. */
export const factsArbitrary: fc.Arbitrary<JourneyFacts> = fc
  .record({
    consentAnonymousReporting: fc.boolean(),
    identifiedAt: instant,
    gender: fc.constantFrom('Feminine', 'Masculine', 'NonConforming', 'x-local'),
    ageBand: fc.constantFrom('9-17', '18-20', '24-26', '30-38', '48+', 'unknown'),
    child: fc.boolean(),
    exploitationTypes: fc.subarray(['SexualExploitation', 'ForcedLabour', 'ForcedCriminality']),
    citizenship: fc.constantFrom('NG', 'VN', 'RO', 'BR', 'FJ', 'NL'),
    citizenshipRegion: fc.constantFrom('Africa', 'Asia', 'Europe', 'Americas', 'Oceania'),
    organisationId: fc.constantFrom('org-a', 'org-b', 'org-c'),
    reasonableGroundsAt: maybe(instant),
    reasonableGroundsOutcome: maybe(fc.constantFrom('positive' as const, 'negative' as const)),
    conclusiveAt: maybe(instant),
    conclusiveStatus: maybe(fc.constant('ActualVictimOfTrafficking')),
    reflectionGrantedAt: maybe(instant),
    reflectionDays: maybe(fc.integer({ min: 0, max: 120 })),
    shelterAdmittedAt: maybe(instant),
    firstServiceAt: maybe(instant),
    residenceDecisionAt: maybe(instant),
    criminalisedBeforeIdentification: fc.boolean(),
    compensationClaimed: fc.boolean(),
    referralsMade: fc.integer({ min: 0, max: 3 }),
    followUpStartAt: maybe(instant),
    lastContactAt: maybe(instant),
    reTraffickedAt: maybe(instant),
    closedAt: maybe(instant),
    firstReviewAt: instant,
    reviews: fc.array(
      fc.record({
        // Days since the review before: about quarterly, so the 3, 6 and 12-month points all occur.
        gapDays: fc.integer({ min: 20, max: 200 }),
        economic: score,
        social: score,
        psychosocial: score,
        composite: maybe(score),
        situation,
      }),
      { maxLength: 5 },
    ),
  })
  .map(({ firstReviewAt, reviews, ...fields }) => {
    let on = Date.parse(firstReviewAt);
    return factsRow({
      ...fields,
      firstContactAt: fields.identifiedAt,
      reviews: reviews.map(({ gapDays, ...review }, index) => {
        if (index > 0) on += gapDays * DAY_MS;
        return { ...review, on: new Date(on).toISOString() };
      }),
    });
  });

export const cohortArbitrary = fc.array(factsArbitrary, { maxLength: 150 });

/** Two answers per aspect, always given: the cells of the situation shares are often large. */
const coarseSituation = fc.record({
  housing: fc.constantFrom('stable_own' as const, 'homeless' as const),
  work: fc.constantFrom('employed' as const, 'unemployed_seeking' as const),
  school: fc.constantFrom('enrolled_attending' as const, 'not_enrolled' as const),
  feelsSafe: fc.constantFrom('yes' as const, 'no' as const),
  legalStatus: fc.constantFrom('regular' as const, 'irregular' as const),
});

/** Cohorts large enough, and answers coarse enough, that situation shares get published. */
export const situationCohortArbitrary = fc.array(
  fc
    .tuple(factsArbitrary, fc.array(coarseSituation, { minLength: 5, maxLength: 5 }))
    .map(([row, situations]) => ({
      ...row,
      consentAnonymousReporting: true,
      reviews: row.reviews.map((review, index) => ({
        ...review,
        situation: situations[index] ?? null,
      })),
    })),
  { minLength: 40, maxLength: 150 },
);
