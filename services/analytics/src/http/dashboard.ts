import { escapeHtml } from '@waypoint/service-kit';
import type { IndicatorResult } from '../indicators/domain/indicators.js';
import type { Statistic } from '../indicators/domain/privacy.js';

function shown(indicator: IndicatorResult): string {
  const statistic: Statistic = indicator.statistic;
  if (statistic.status === 'suppressed') return 'suppressed';
  if (indicator.kind === 'share') return `${String(statistic.value)}%`;
  if (indicator.kind === 'median_days') return `${String(statistic.value)} days`;
  return String(statistic.value);
}

export interface DashboardChart {
  readonly name: string;
  readonly caption: string;
  /** Rendered server-side from published aggregates only. */
  readonly svg: string;
}

/**
 * The dashboard: one self-contained HTML page (charts inline as SVG, styles inline, no script and
 * no external asset), so that it works behind the same bearer token as the API.
 */
export function dashboardHtml(options: {
  readonly filterSummary: string;
  readonly asOf: string;
  readonly charts: readonly DashboardChart[];
  readonly indicators: readonly IndicatorResult[];
}): string {
  const rows = options.indicators
    .map(
      (indicator) =>
        `<tr data-key="${escapeHtml(indicator.key)}"><td>${escapeHtml(indicator.label)}</td><td>${escapeHtml(shown(indicator))}</td><td>${
          indicator.statistic.status === 'published' ? String(indicator.statistic.n) : ''
        }</td></tr>`,
    )
    .join('\n');
  const charts = options.charts
    .map(
      (chart) =>
        `<figure class="chart" data-chart="${escapeHtml(chart.name)}">${chart.svg}<figcaption>${escapeHtml(chart.caption)}</figcaption></figure>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Waypoint analytics</title>
<style>
body { font-family: 'DejaVu Sans', Arial, sans-serif; margin: 2rem; color: #1d2733; }
.charts { display: flex; flex-wrap: wrap; gap: 1.5rem; }
figure { margin: 0; border: 1px solid #d5dbe3; padding: 0.5rem; }
figcaption { font-size: 0.85rem; color: #4a5563; }
table { border-collapse: collapse; margin-top: 2rem; }
td, th { border-bottom: 1px solid #e3e7ec; padding: 0.25rem 0.75rem; text-align: left; }
</style>
</head>
<body>
<h1>Waypoint analytics</h1>
<p>Cohort: ${escapeHtml(options.filterSummary)}. Figures as of ${escapeHtml(options.asOf.slice(0, 10))}: journeys with a consent to anonymous reporting only; counts rounded down to a multiple of 10; statistics from fewer than 10 journeys suppressed.</p>
<section class="charts">
${charts}
</section>
<table>
<thead><tr><th>Indicator</th><th>Value</th><th>Journeys (rounded)</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</body>
</html>
`;
}
