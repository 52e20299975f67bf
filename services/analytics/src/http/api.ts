import type { Role } from '@waypoint/contracts';
import type { Principal } from '@waypoint/service-kit';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CHART_NAMES,
  funnelSpec,
  reviewsSpec,
  survivalSpec,
  type ChartName,
} from '../charts/chart-specs.js';
import { renderSvg, svgToPng } from '../charts/render.js';
import type { AnalyticsDeps } from '../deps.js';
import { regionOf } from '../facts/domain/regions.js';
import type { JourneyFacts } from '../facts/domain/journey-facts.js';
import { analyticsFamily } from '../exports/domain/export-events.js';
import { anonymise, toCsv } from '../exports/domain/ctdc-export.js';
import { BREAKDOWN_KEYS, breakdown } from '../indicators/domain/breakdown.js';
import { selectCohort, type CohortFilter } from '../indicators/domain/cohort.js';
import { cohortFunnel } from '../indicators/domain/funnel.js';
import { computeIndicators, type IndicatorContext } from '../indicators/domain/indicators.js';
import { CURVE_NAMES, survivalCurve } from '../indicators/domain/survival.js';
import { streams } from '../streams.js';
import { dashboardHtml } from './dashboard.js';
import { cohortFilterOf, filterQuery, type FilterQuery } from './filters.js';

/** Who reads aggregates: never a journey id, never a row. */
export const AGGREGATE_READERS: readonly Role[] = ['analyst', 'supervisor', 'auditor'];
/** Who produces row-level exports. */
export const EXPORTERS: readonly Role[] = ['data_protection_officer'];

const statistic = z.discriminatedUnion('status', [
  z.object({ status: z.literal('published'), value: z.number(), n: z.number().int() }),
  z.object({ status: z.literal('suppressed'), reason: z.enum(['too_few_journeys', 'small_cell']) }),
]);
const indicator = z.object({
  key: z.string(),
  group: z.enum(['process', 'outcome']),
  label: z.string(),
  kind: z.enum(['count', 'share', 'median_days', 'mean']),
  statistic,
});
const filterEcho = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
const envelope = { asOf: z.string(), filter: filterEcho };

const CHART_FILES = CHART_NAMES.flatMap((name) => [`${name}.svg`, `${name}.png`]) as [
  string,
  ...string[],
];

function summary(filter: CohortFilter): string {
  const parts = Object.entries(filter).map(([key, value]) => `${key} = ${String(value)}`);
  return parts.length === 0 ? 'all journeys' : parts.join(', ');
}

export function analyticsRoutes(deps: AnalyticsDeps): FastifyPluginCallbackZod {
  const cohortFor = async (
    query: FilterQuery,
  ): Promise<{ cohort: JourneyFacts[]; filter: CohortFilter; context: IndicatorContext }> => {
    const asOf = deps.now().toISOString();
    const filter = cohortFilterOf(query);
    const rows = await deps.facts.load({ consentedOnly: deps.privacy.requireConsent });
    return {
      cohort: selectCohort(rows, filter, deps.privacy, asOf),
      filter,
      context: { rules: deps.privacy, settings: deps.settings, asOf },
    };
  };

  const chartSvg = async (name: ChartName, query: FilterQuery): Promise<string> => {
    const { cohort, context } = await cohortFor(query);
    switch (name) {
      case 'funnel':
        return renderSvg(funnelSpec(cohortFunnel(cohort, deps.privacy)));
      case 'survival':
        return renderSvg(
          survivalSpec(
            (
              [
                'time_to_shelter',
                'time_to_reasonable_grounds',
                'time_to_residence_decision',
              ] as const
            ).map((curve) => survivalCurve(cohort, curve, deps.privacy, context.asOf)),
            'Time from first contact',
          ),
        );
      case 're-trafficking':
        return renderSvg(
          survivalSpec(
            [survivalCurve(cohort, 'time_to_re_trafficking', deps.privacy, context.asOf)],
            'Time from exit or return to re-trafficking',
          ),
        );
      case 'reviews':
        return renderSvg(reviewsSpec(computeIndicators(cohort, context)));
    }
  };

  return (app, _options, done) => {
    app.get(
      '/analytics/indicators',
      {
        schema: {
          summary: 'Process and outcome indicators over a cohort',
          description:
            'Only journeys with a consent to anonymous reporting; statistics from fewer than 10 journeys are suppressed and counts rounded down to a multiple of 10.',
          tags: ['analytics'],
          querystring: filterQuery,
          response: { 200: z.object({ ...envelope, indicators: z.array(indicator) }) },
        },
        config: { access: { roles: AGGREGATE_READERS } },
      },
      async (request) => {
        const { cohort, filter, context } = await cohortFor(request.query);
        return {
          asOf: context.asOf,
          filter: { ...filter },
          indicators: computeIndicators(cohort, context),
        };
      },
    );

    app.get(
      '/analytics/breakdowns/:key',
      {
        schema: {
          summary: 'The indicators per value of one breakdown key',
          description: 'Values held by fewer than 10 journeys are pooled into `other`.',
          tags: ['analytics'],
          params: z.object({ key: z.enum(BREAKDOWN_KEYS) }),
          querystring: filterQuery,
          response: {
            200: z.object({
              ...envelope,
              key: z.enum(BREAKDOWN_KEYS),
              groups: z.array(
                z.object({
                  value: z.string(),
                  journeys: statistic,
                  indicators: z.array(indicator),
                }),
              ),
            }),
          },
        },
        config: { access: { roles: AGGREGATE_READERS } },
      },
      async (request) => {
        const { cohort, filter, context } = await cohortFor(request.query);
        const { key } = request.params;
        return {
          asOf: context.asOf,
          filter: { ...filter },
          key,
          groups: breakdown(cohort, key, context),
        };
      },
    );

    app.get(
      '/analytics/survival/:curve',
      {
        schema: {
          summary: 'A Kaplan–Meier time-to-event curve',
          description:
            'Read on a grid of days; it stops where fewer than 10 journeys remain at risk, and at-risk counts are rounded down to 10.',
          tags: ['analytics'],
          params: z.object({ curve: z.enum(CURVE_NAMES) }),
          querystring: filterQuery,
          response: {
            200: z.object({
              ...envelope,
              curve: z.enum(CURVE_NAMES),
              label: z.string(),
              points: z.array(
                z.object({ day: z.number(), cumulative: z.number(), atRisk: z.number().int() }),
              ),
            }),
          },
        },
        config: { access: { roles: AGGREGATE_READERS } },
      },
      async (request) => {
        const { cohort, filter, context } = await cohortFor(request.query);
        return {
          asOf: context.asOf,
          filter: { ...filter },
          ...survivalCurve(cohort, request.params.curve, deps.privacy, context.asOf),
        };
      },
    );

    app.get(
      '/analytics/funnel',
      {
        schema: {
          summary: 'How many journeys of the cohort reached each stage',
          tags: ['analytics'],
          querystring: filterQuery,
          response: {
            200: z.object({
              ...envelope,
              stages: z.array(
                z.object({ key: z.string(), label: z.string(), journeys: statistic }),
              ),
            }),
          },
        },
        config: { access: { roles: AGGREGATE_READERS } },
      },
      async (request) => {
        const { cohort, filter, context } = await cohortFor(request.query);
        return {
          asOf: context.asOf,
          filter: { ...filter },
          stages: cohortFunnel(cohort, deps.privacy),
        };
      },
    );

    app.get(
      '/analytics/charts/:file',
      {
        schema: {
          summary: 'A chart of published aggregates, as SVG or PNG',
          description: `One of: ${CHART_FILES.join(', ')}.`,
          tags: ['analytics'],
          params: z.object({ file: z.enum(CHART_FILES) }),
          querystring: filterQuery,
          response: {
            200: {
              description: 'The chart: SVG for `.svg`, PNG for `.png`',
              content: {
                'image/svg+xml': { schema: z.string().describe('An SVG document') },
                'image/png': {
                  schema: z
                    .custom<Buffer>((value) => Buffer.isBuffer(value))
                    .meta({ type: 'string', format: 'binary', description: 'A PNG image' }),
                },
              },
            },
          },
        },
        config: { access: { roles: AGGREGATE_READERS } },
      },
      async (request, reply) => {
        const [name, format] = request.params.file.split('.') as [ChartName, 'svg' | 'png'];
        const svg = await chartSvg(name, request.query);
        void reply.header('cache-control', 'no-store');
        if (format === 'svg') return reply.type('image/svg+xml; charset=utf-8').send(svg);
        return reply.type('image/png').send(await svgToPng(svg));
      },
    );

    app.get(
      '/analytics/dashboard',
      {
        schema: {
          summary: 'A dashboard page of the charts and indicators',
          description: 'Server-rendered HTML with the charts inline; no external assets.',
          tags: ['analytics'],
          querystring: filterQuery,
          response: {
            200: {
              description: 'The dashboard page',
              content: { 'text/html': { schema: z.string().describe('An HTML document') } },
            },
          },
        },
        config: { access: { roles: AGGREGATE_READERS } },
      },
      async (request, reply) => {
        const { cohort, filter, context } = await cohortFor(request.query);
        const indicators = computeIndicators(cohort, context);
        const charts = await Promise.all(
          (
            [
              ['funnel', 'Cohort funnel'],
              [
                'survival',
                'Time from first contact to shelter, reasonable grounds and a residence decision',
              ],
              ['re-trafficking', 'Time from exit or return to re-trafficking'],
              ['reviews', 'Review scores since the first review'],
            ] as const
          ).map(async ([name, caption]) => ({
            name,
            caption,
            svg: await chartSvg(name, request.query),
          })),
        );
        void reply.header('cache-control', 'no-store');
        return reply.type('text/html; charset=utf-8').send(
          dashboardHtml({
            filterSummary: summary(filter),
            asOf: context.asOf,
            charts,
            indicators,
          }),
        );
      },
    );

    app.get(
      '/analytics/exports/ctdc.csv',
      {
        schema: {
          summary: 'A CTDC-shaped, k-anonymous row-level export',
          description:
            'For the data-protection officer only. Consenting journeys only; quasi-identifiers generalised (quarter to year, country to region, age to broader bands, rare values to Other) until every class has at least k = 11 rows, the rest suppressed. Every export is recorded as an event before it is sent.',
          tags: ['analytics'],
          querystring: filterQuery,
          response: {
            200: {
              description: 'The export, one row per consenting journey, with a header row',
              content: { 'text/csv': { schema: z.string().describe('CSV (RFC 4180)') } },
            },
          },
        },
        config: { access: { roles: EXPORTERS } },
      },
      async (request, reply) => {
        const asOf = deps.now();
        const filter = cohortFilterOf(request.query);
        const rows = await deps.facts.load({ consentedOnly: true });
        const cohort = selectCohort(
          rows,
          filter,
          { ...deps.privacy, requireConsent: true },
          asOf.toISOString(),
        );
        const anonymised = anonymise(cohort, regionOf, {
          k: deps.privacy.k,
          maxSuppressedShare: deps.privacy.maxSuppressedShare,
        });
        const exportId = deps.newId();
        const principal: Principal = request.principal;
        // Recorded before the rows leave: an export that cannot be recorded is not sent.
        await deps.store.append(
          streams.export(exportId),
          [
            {
              id: deps.newId(),
              ...analyticsFamily.encode({
                type: 'CtdcExportProduced',
                data: {
                  exportId,
                  userId: principal.userId,
                  orgId: principal.orgId,
                  roles: [...principal.roles],
                  filter: { ...filter },
                  k: deps.privacy.k,
                  rows: anonymised.rows.length,
                  suppressedRows: anonymised.suppressed,
                  generalisation: anonymised.generalisation,
                },
              }),
              metadata: {
                occurredAt: asOf.toISOString(),
                actor: {
                  userId: principal.userId,
                  role: 'data_protection_officer',
                  orgId: principal.orgId,
                },
                correlationId: request.id,
                causationId: request.id,
              },
            },
          ],
          { expectedRevision: 'no_stream' },
        );
        return reply
          .header('cache-control', 'no-store')
          .header('content-disposition', `attachment; filename="ctdc-${exportId}.csv"`)
          .header('x-export-id', exportId)
          .type('text/csv; charset=utf-8')
          .send(toCsv(anonymised.rows));
      },
    );
    done();
  };
}
