import fc from 'fast-check';
import type { JourneyFacts } from '../facts/domain/journey-facts.js';
import { factsRow } from './facts-row.js';

const instant = fc
  .integer({ min: Date.UTC(2021, 0, 1), max: Date.UTC(2025, 11, 31) })
  .map((ms) => new Date(ms).toISOString());
const maybe = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> =>
  fc.option(arbitrary, { nil: null, freq: 2 });
const score = fc.double({ min: 0, max: 1, noNaN: true });

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
    reviews: fc.array(
      fc.record({
        on: instant,
        economic: score,
        social: score,
        psychosocial: score,
        composite: maybe(score),
      }),
      { maxLength: 3 },
    ),
  })
  .map((fields) =>
    factsRow({
      ...fields,
      firstContactAt: fields.identifiedAt,
      reviews: [...fields.reviews].sort((a, b) => a.on.localeCompare(b.on)),
    }),
  );

export const cohortArbitrary = fc.array(factsArbitrary, { maxLength: 150 });
