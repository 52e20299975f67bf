import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { funnelSpec, reviewsSpec, survivalSpec } from './charts/chart-specs.js';
import { regionOf } from './facts/domain/regions.js';
import { anonymise, QUASI_IDENTIFIERS, toCsv } from './exports/domain/ctdc-export.js';
import { BREAKDOWN_KEYS, breakdown, groupsOf, OTHER } from './indicators/domain/breakdown.js';
import { selectCohort } from './indicators/domain/cohort.js';
import { cohortFunnel } from './indicators/domain/funnel.js';
import {
  computeIndicators,
  DEFAULT_SETTINGS,
  INDICATORS,
  publish,
  type IndicatorContext,
} from './indicators/domain/indicators.js';
import { DEFAULT_PRIVACY, type Statistic } from './indicators/domain/privacy.js';
import { CURVE_NAMES, survivalCurve } from './indicators/domain/survival.js';
import { cohortArbitrary, situationCohortArbitrary } from './testing/facts-arbitrary.js';

const rules = DEFAULT_PRIVACY;
const asOf = '2026-01-01T00:00:00.000Z';
const context: IndicatorContext = { rules, settings: DEFAULT_SETTINGS, asOf };

/** A published base or count is at least 10 and a multiple of 10. */
function expectSafe(statistic: Statistic, kind: string): void {
  if (statistic.status === 'suppressed') return;
  expect(statistic.n).toBeGreaterThanOrEqual(rules.minCell);
  expect(statistic.n % rules.roundTo).toBe(0);
  if (kind === 'count') {
    expect(statistic.value).toBeGreaterThanOrEqual(rules.minCell);
    expect(statistic.value % rules.roundTo).toBe(0);
  }
}

const isPublishedCount = (value: unknown): boolean =>
  typeof value === 'number' && value >= rules.minCell && value % rules.roundTo === 0;

describe('publication safety', () => {
  it('no indicator, breakdown cell or funnel stage shows a count under the thresholds', () => {
    fc.assert(
      fc.property(cohortArbitrary, fc.constantFrom(...BREAKDOWN_KEYS), (facts, key) => {
        const cohort = selectCohort(facts, {}, rules, asOf);
        for (const result of computeIndicators(cohort, context))
          expectSafe(result.statistic, result.kind);
        for (const stage of cohortFunnel(cohort, rules)) expectSafe(stage.journeys, 'count');
        for (const group of breakdown(cohort, key, context)) {
          expectSafe(group.journeys, 'count');
          for (const result of group.indicators) expectSafe(result.statistic, result.kind);
          // A named group always holds enough journeys; rare values only exist inside `other`.
          if (group.value !== OTHER) {
            const members = cohort.filter((row) => groupsOf(row, key).includes(group.value));
            expect(members.length).toBeGreaterThanOrEqual(rules.minCell);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('no published share has a part, with or without the outcome, under the smallest cell', () => {
    const publishedSituations = new Set<string>();
    fc.assert(
      fc.property(fc.oneof(cohortArbitrary, situationCohortArbitrary), (facts) => {
        const cohort = selectCohort(facts, {}, rules, asOf);
        for (const indicator of INDICATORS) {
          const raw = indicator.compute(cohort, context);
          if (raw.kind !== 'share' || publish(raw, rules).status !== 'published') continue;
          expect(raw.journeys).toBeGreaterThanOrEqual(rules.minCell);
          for (const cell of [raw.numerator, raw.denominator - raw.numerator])
            expect(cell === 0 || cell >= rules.minCell, indicator.key).toBe(true);
          if (/^review_[a-z_]+_(baseline|m\d+)$/.test(indicator.key))
            publishedSituations.add(indicator.key.replace(/_(baseline|m\d+)$/, ''));
        }
      }),
      { numRuns: 60 },
    );
    // The situation outcomes were published, not only suppressed, somewhere in the runs.
    expect([...publishedSituations].sort()).toEqual([
      'review_children_in_school',
      'review_feeling_safe',
      'review_housed_stably',
      'review_in_work_or_training',
      'review_legal_status_regular',
    ]);
  });

  it('only journeys with a consent to anonymous reporting are counted', () => {
    fc.assert(
      fc.property(cohortArbitrary, (facts) => {
        const cohort = selectCohort(facts, {}, rules, asOf);
        expect(cohort.every((row) => row.consentAnonymousReporting)).toBe(true);
      }),
    );
  });

  it('no curve or chart shows fewer than 10 at risk or an unrounded count', () => {
    fc.assert(
      fc.property(cohortArbitrary, (facts) => {
        const cohort = selectCohort(facts, {}, rules, asOf);
        const curves = CURVE_NAMES.map((curve) => survivalCurve(cohort, curve, rules, asOf));
        for (const point of curves.flatMap((curve) => curve.points))
          expect(isPublishedCount(point.atRisk)).toBe(true);
        const chartValues = [
          funnelSpec(cohortFunnel(cohort, rules)),
          survivalSpec(curves, 'Curves'),
          reviewsSpec(computeIndicators(cohort, context)),
        ].flatMap((spec) => {
          const data = 'data' in spec ? spec.data : undefined;
          return data && 'values' in data && Array.isArray(data.values)
            ? (data.values as Record<string, unknown>[])
            : [];
        });
        for (const value of chartValues) {
          if ('journeys' in value && value.journeys !== 0)
            expect(isPublishedCount(value.journeys)).toBe(true);
          if ('atRisk' in value) expect(isPublishedCount(value.atRisk)).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a row-level export is always k-anonymous over the quasi-identifiers', () => {
    fc.assert(
      fc.property(
        cohortArbitrary,
        fc.integer({ min: 11, max: 15 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (facts, k, maxSuppressedShare) => {
          const exported = anonymise(facts, regionOf, { k, maxSuppressedShare });
          const classes = new Map<string, number>();
          for (const row of exported.rows) {
            const key = QUASI_IDENTIFIERS.map((column) => row[column]).join('|');
            classes.set(key, (classes.get(key) ?? 0) + 1);
          }
          for (const size of classes.values()) expect(size).toBeGreaterThanOrEqual(k);
          expect(exported.rows.length + exported.suppressed).toBe(facts.length);
          // The CSV carries the same rows and no journey id.
          const csv = toCsv(exported.rows);
          expect(csv.trimEnd().split('\r\n')).toHaveLength(exported.rows.length + 1);
          for (const row of facts) expect(csv).not.toContain(row.journeyId);
        },
      ),
      { numRuns: 80 },
    );
  });
});
