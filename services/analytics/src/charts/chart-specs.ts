import type { TopLevelSpec } from 'vega-lite';
import type { FunnelStage } from '../indicators/domain/funnel.js';
import type { IndicatorResult } from '../indicators/domain/indicators.js';
import type { PublishedCurve } from '../indicators/domain/survival.js';

/**
 * Vega-Lite specifications of the charts, built only from published aggregates (suppressed and
 * rounded): a chart cannot show more than the API does.
 */
export const CHART_NAMES = ['funnel', 'survival', 're-trafficking', 'reviews'] as const;
export type ChartName = (typeof CHART_NAMES)[number];

const FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';
const base = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: 560,
  background: 'white',
  config: { font: FONT, title: { fontSize: 14 } },
} as const;

export function funnelSpec(stages: readonly FunnelStage[]): TopLevelSpec {
  const values = stages.map((stage) => ({
    stage: stage.label,
    journeys: stage.journeys.status === 'published' ? stage.journeys.value : 0,
    label: stage.journeys.status === 'published' ? String(stage.journeys.value) : 'suppressed',
  }));
  return {
    ...base,
    title: 'Cohort funnel (journeys, rounded down to 10; small cells suppressed)',
    height: 40 * values.length,
    data: { values },
    encoding: {
      y: { field: 'stage', type: 'nominal', sort: null, title: null, axis: { labelLimit: 300 } },
      x: { field: 'journeys', type: 'quantitative', title: 'Journeys' },
    },
    layer: [
      { mark: { type: 'bar', color: '#3b6ea5' } },
      { mark: { type: 'text', align: 'left', dx: 4 }, encoding: { text: { field: 'label' } } },
    ],
  };
}

export function survivalSpec(curves: readonly PublishedCurve[], title: string): TopLevelSpec {
  const values = curves.flatMap((curve) =>
    curve.points.map((point) => ({
      curve: curve.label,
      day: point.day,
      cumulative: point.cumulative,
      atRisk: point.atRisk,
    })),
  );
  return {
    ...base,
    title: `${title} (Kaplan–Meier; stops where fewer than 10 remain at risk)`,
    height: 300,
    data: { values },
    mark: { type: 'line', interpolate: 'step-after', point: false },
    encoding: {
      x: { field: 'day', type: 'quantitative', title: 'Days' },
      y: {
        field: 'cumulative',
        type: 'quantitative',
        title: 'Share with the event',
        scale: { domain: [0, 1] },
        axis: { format: '%' },
      },
      color: {
        field: 'curve',
        type: 'nominal',
        title: null,
        legend: { orient: 'bottom', labelLimit: 400, columns: 2 },
      },
    },
  };
}

const TIMEPOINTS = [
  { suffix: 'baseline', month: 0 },
  { suffix: 'm3', month: 3 },
  { suffix: 'm6', month: 6 },
  { suffix: 'm12', month: 12 },
] as const;
const DIMENSIONS = ['economic', 'social', 'psychosocial', 'composite'] as const;

export function reviewsSpec(indicators: readonly IndicatorResult[]): TopLevelSpec {
  const byKey = new Map(indicators.map((indicator) => [indicator.key, indicator.statistic]));
  const values = DIMENSIONS.flatMap((dimension) =>
    TIMEPOINTS.flatMap(({ suffix, month }) => {
      const statistic = byKey.get(`review_${dimension}_${suffix}`);
      return statistic?.status === 'published'
        ? [{ dimension, month, score: statistic.value }]
        : [];
    }),
  );
  return {
    ...base,
    title: 'Mean reintegration review scores since the first review (cells under 10 suppressed)',
    height: 300,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: {
        field: 'month',
        type: 'quantitative',
        title: 'Months since the first review',
        scale: { domain: [0, 12] },
        axis: { values: [0, 3, 6, 12] },
      },
      y: { field: 'score', type: 'quantitative', title: 'Mean score', scale: { domain: [0, 1] } },
      color: {
        field: 'dimension',
        type: 'nominal',
        title: null,
        legend: { orient: 'bottom', labelLimit: 400, columns: 2 },
      },
    },
  };
}
