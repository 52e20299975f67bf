import { describe, expect, it } from 'vitest';
import { kaplanMeier, publishCurve, type Observation } from './kaplan-meier.js';
import { DEFAULT_PRIVACY } from './privacy.js';

/**
 * The 6-MP arm of Freireich et al. (1963), weeks of remission, + marking censoring: the textbook
 * example of Kaplan–Meier (Kleinbaum & Klein, Survival Analysis, ch. 2).
 */
const SIX_MP = '6 6 6 6+ 7 9+ 10 10+ 11+ 13 16 17+ 19+ 20+ 22 23 25+ 32+ 32+ 34+ 35+'
  .split(' ')
  .map((item): Observation => ({ time: Number.parseInt(item, 10), event: !item.endsWith('+') }));

describe('the Kaplan–Meier estimator', () => {
  it('matches the textbook table for the 6-MP remission data', () => {
    const withEvents = kaplanMeier(SIX_MP)
      .filter((step) => step.events > 0)
      .map((step) => ({
        time: step.time,
        atRisk: step.atRisk,
        events: step.events,
        survival: Math.round(step.survival * 10_000) / 10_000,
      }));
    expect(withEvents).toEqual([
      { time: 6, atRisk: 21, events: 3, survival: 0.8571 },
      { time: 7, atRisk: 17, events: 1, survival: 0.8067 },
      { time: 10, atRisk: 15, events: 1, survival: 0.7529 },
      { time: 13, atRisk: 12, events: 1, survival: 0.6902 },
      { time: 16, atRisk: 11, events: 1, survival: 0.6275 },
      { time: 22, atRisk: 7, events: 1, survival: 0.5378 },
      { time: 23, atRisk: 6, events: 1, survival: 0.4482 },
    ]);
  });

  it('keeps a subject censored at an event time at risk for that event', () => {
    const steps = kaplanMeier([
      { time: 5, event: true },
      { time: 5, event: false },
      { time: 8, event: true },
    ]);
    expect(
      steps.map((step) => [step.time, step.atRisk, Math.round(step.survival * 1000) / 1000]),
    ).toEqual([
      [5, 3, 0.667],
      [8, 1, 0],
    ]);
  });

  it('gives no steps for nobody', () => {
    expect(kaplanMeier([])).toEqual([]);
  });
});

describe('a published curve', () => {
  it('is read on the grid and stops where fewer than 10 remain at risk', () => {
    const rules = { ...DEFAULT_PRIVACY, roundTo: 1, minCell: 1 };
    const points = publishCurve(SIX_MP, rules, 5, 40);
    // 21 at risk at 0 and 5, 17 at 7 (grid 10: 15 at risk), 11 at 15, 9 at 20: the curve stops.
    expect(points).toEqual([
      { day: 0, cumulative: 0, atRisk: 21 },
      { day: 5, cumulative: 0, atRisk: 21 },
      { day: 10, cumulative: 0.247, atRisk: 15 },
      { day: 15, cumulative: 0.31, atRisk: 11 },
    ]);
  });

  it('rounds those at risk down to the reporting resolution', () => {
    const points = publishCurve(SIX_MP, DEFAULT_PRIVACY, 5, 40);
    expect(points.map((point) => point.atRisk)).toEqual([20, 20, 10, 10]);
  });
});
