import { daysBetween } from '../../facts/domain/fold-journey.js';
import type { JourneyFacts } from '../../facts/domain/journey-facts.js';
import { publishCurve, type CurvePoint, type Observation } from './kaplan-meier.js';
import type { PrivacyRules } from './privacy.js';

export const CURVES = {
  time_to_shelter: { label: 'Time to shelter', gridDays: 7, maxDay: 364 },
  time_to_reasonable_grounds: { label: 'Time to reasonable grounds', gridDays: 7, maxDay: 364 },
  time_to_residence_decision: { label: 'Time to a residence decision', gridDays: 14, maxDay: 728 },
  time_to_re_trafficking: { label: 'Time to re-trafficking', gridDays: 30, maxDay: 720 },
} as const;
export type CurveName = keyof typeof CURVES;
export const CURVE_NAMES = Object.keys(CURVES) as [CurveName, ...CurveName[]];

const since = (origin: string, at: string): number => Math.max(0, daysBetween(origin, at));

/**
 * Each journey as a time-to-event observation. From the first contact: the first shelter
 * admission, the first reasonable-grounds decision, the first residence decision (non-nationals),
 * censored at closing or on `asOf`. From exit or return: a report of re-trafficking, censored at
 * the last contact on record.
 */
export function observationsFor(
  cohort: readonly JourneyFacts[],
  curve: CurveName,
  asOf: string,
): Observation[] {
  return cohort.flatMap((row): Observation[] => {
    if (curve === 'time_to_re_trafficking') {
      const origin = row.followUpStartAt;
      if (origin === null) return [];
      if (row.reTraffickedAt !== null && row.reTraffickedAt >= origin)
        return [{ time: since(origin, row.reTraffickedAt), event: true }];
      return [{ time: since(origin, row.lastContactAt ?? origin), event: false }];
    }
    if (curve === 'time_to_residence_decision' && row.legalStatus === 'national') return [];
    const origin = row.firstContactAt ?? row.identifiedAt;
    if (origin === null) return [];
    const eventAt =
      curve === 'time_to_shelter'
        ? row.shelterAdmittedAt
        : curve === 'time_to_reasonable_grounds'
          ? row.reasonableGroundsAt
          : row.residenceDecisionAt;
    if (eventAt !== null) return [{ time: since(origin, eventAt), event: true }];
    const censorAt = row.closedAt !== null && row.closedAt < asOf ? row.closedAt : asOf;
    return [{ time: since(origin, censorAt), event: false }];
  });
}

export interface PublishedCurve {
  readonly curve: CurveName;
  readonly label: string;
  readonly points: CurvePoint[];
}

export function survivalCurve(
  cohort: readonly JourneyFacts[],
  curve: CurveName,
  rules: PrivacyRules,
  asOf: string,
): PublishedCurve {
  const { label, gridDays, maxDay } = CURVES[curve];
  return {
    curve,
    label,
    points: publishCurve(observationsFor(cohort, curve, asOf), rules, gridDays, maxDay),
  };
}
