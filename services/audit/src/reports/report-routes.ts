import type { FastifyReply } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuditDeps } from '../deps.js';
import { auditorsOnly, journeyParams, orgParams, period, row } from '../route-schemas.js';
import { reportCsv, reportHtml, type AuditReport } from './audit-report.js';
import { journeyReport, organisationReport } from './build-report.js';

/** An audit report in JSON; no personal data. */
const reportAnswer = z.object({
  kind: z.enum(['journey', 'organisation']),
  subjectId: z.string(),
  from: z.string(),
  to: z.string(),
  asOf: z.string(),
  generatedAt: z.string(),
  journeys: z.number().int(),
  findings: z.array(row).readonly(),
  integrity: z.object({ streamsChecked: z.number().int(), broken: z.array(z.string()).readonly() }),
  decisions: z.number().int(),
});

const format = z.object({ format: z.enum(['json', 'csv', 'html']).default('json') });
type Format = z.infer<typeof format>['format'];

/** A fresh object per route: Fastify normalises a route's response schema in place. */
const reportResponse = () => ({
  200: {
    description: 'The report, in the `format` asked for',
    content: {
      'application/json': { schema: reportAnswer },
      'text/csv': { schema: z.string() },
      'text/html': { schema: z.string() },
    },
  },
});

/** The report in the format asked for, with its content type. */
function send(reply: FastifyReply, report: AuditReport, kind: Format) {
  if (kind === 'csv') {
    reply.type('text/csv; charset=utf-8');
    return reportCsv(report);
  }
  if (kind === 'html') {
    reply.type('text/html; charset=utf-8');
    return reportHtml(report);
  }
  return report;
}

/** Audit reports of a journey or an organisation over a period: JSON, CSV or printable HTML. */
export function reportRoutes(deps: AuditDeps): FastifyPluginCallbackZod {
  return (app, _options, done) => {
    app.get(
      '/audit/reports/journeys/:journeyId',
      {
        schema: {
          summary: 'Audit report of a journey: JSON, CSV or printable HTML; no personal data',
          tags: ['reports'],
          params: journeyParams,
          querystring: period.extend(format.shape),
          response: reportResponse(),
        },
        config: auditorsOnly,
      },
      async (request, reply) => {
        const { format: kind, ...query } = request.query;
        return send(
          reply,
          await journeyReport(deps, request.principal, request.params.journeyId, query),
          kind,
        );
      },
    );

    app.get(
      '/audit/reports/organisations/:orgId',
      {
        schema: {
          summary:
            'Audit report of an organisation over a period: JSON, CSV or printable HTML; no personal data',
          tags: ['reports'],
          params: orgParams,
          querystring: period.extend(format.shape),
          response: reportResponse(),
        },
        config: auditorsOnly,
      },
      async (request, reply) => {
        const { format: kind, ...query } = request.query;
        return send(
          reply,
          await organisationReport(deps, request.principal, request.params.orgId, query),
          kind,
        );
      },
    );
    done();
  };
}
