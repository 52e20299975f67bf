import type { PrivacyRules } from './privacy.js';
import { roundedCount } from './privacy.js';

/** One subject: followed for `time` (days), ending in the event or censored. */
export interface Observation {
  readonly time: number;
  readonly event: boolean;
}

export interface KaplanMeierStep {
  readonly time: number;
  readonly atRisk: number;
  readonly events: number;
  readonly censored: number;
  /** S(t) just after `time`. */
  readonly survival: number;
}

/**
 * The Kaplan–Meier product-limit estimator: at each distinct time with events,
 * S(t) = S(t-) × (1 − d / n), n being those still followed at t. Subjects censored at t count as
 * at risk at t (censoring is taken to happen just after the events of the same time).
 */
export function kaplanMeier(observations: readonly Observation[]): KaplanMeierStep[] {
  const sorted = [...observations].sort((a, b) => a.time - b.time);
  const steps: KaplanMeierStep[] = [];
  let atRisk = sorted.length;
  let survival = 1;
  for (let index = 0; index < sorted.length;) {
    const time = sorted[index]?.time ?? 0;
    let events = 0;
    let censored = 0;
    while (index < sorted.length && sorted[index]?.time === time) {
      if (sorted[index]?.event === true) events += 1;
      else censored += 1;
      index += 1;
    }
    if (events > 0) survival *= 1 - events / atRisk;
    steps.push({ time, atRisk, events, censored, survival });
    atRisk -= events + censored;
  }
  return steps;
}

export interface CurvePoint {
  readonly day: number;
  /** Share who have had the event by this day (1 − S), rounded to 0.001. */
  readonly cumulative: number;
  /** Those still followed on this day, rounded down to the reporting resolution. */
  readonly atRisk: number;
}

/**
 * The curve as published: read on a grid of days (not at each event time, which would date single
 * events), stopping at the first point where fewer than `minAtRisk` remain at risk.
 */
export function publishCurve(
  observations: readonly Observation[],
  rules: PrivacyRules,
  gridDays: number,
  maxDay: number,
): CurvePoint[] {
  const steps = kaplanMeier(observations);
  const points: CurvePoint[] = [];
  for (let day = 0; day <= maxDay; day += gridDays) {
    const atRisk = observations.filter((observation) => observation.time >= day).length;
    const shown = roundedCount(atRisk, rules);
    if (atRisk < rules.minAtRisk || shown === null) break;
    const survival = steps.filter((step) => step.time <= day).at(-1)?.survival ?? 1;
    points.push({ day, cumulative: Math.round((1 - survival) * 1000) / 1000, atRisk: shown });
  }
  return points;
}
