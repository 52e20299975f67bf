import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuditDeps } from '../deps.js';
import {
  findingIntegrity,
  findingsIntegrityAnswer,
  verifyJourney,
} from '../integrity/journey-integrity.js';
import { auditOf } from '../journey-audit.js';
import { organisationReport } from '../reports/build-report.js';
import { auditorsOnly, instant, journeyParams, orgParams, period } from '../route-schemas.js';
import { findingKey } from '../rules/evaluate.js';
import { answerFinding } from './finding-answer.js';

const findingSchema = z.object({
  findingKey: z.string(),
  ruleId: z.string(),
  ruleVersion: z.number().int(),
  severity: z.enum(['breach', 'flag']),
  occurredAt: z.string(),
  evidenceEventIds: z.array(z.string()).readonly(),
  reason: z.string(),
  citations: z
    .array(z.object({ instrument: z.string(), article: z.string() }))
    .readonly()
    .describe('The legal sources the rule version cites, from the rule catalogue.'),
  integrity: z
    .enum(['verified', 'unverifiable'])
    .describe(
      "unverifiable when a hash chain of the journey's event streams is broken: the finding may rest on altered events.",
    ),
});
const integritySchema = z.object({
  status: z.enum(['verified', 'unverifiable']),
  brokenStreams: z.array(z.string()).readonly(),
});
const evaluationSchema = z.object({
  journeyId: z.uuid(),
  asOf: z.string(),
  jurisdiction: z.string(),
  profile: z.object({ jurisdiction: z.string(), version: z.number().int() }),
  rules: z.array(z.object({ id: z.string(), version: z.number().int() })).readonly(),
  integrity: integritySchema,
  findings: z.array(findingSchema),
});

/**
 * Audits on demand, from the store: a journey, or every journey an organisation opened, judged
 * as of a date by the rules and profile in force then.
 */
export function findingsRoutes(deps: AuditDeps): FastifyPluginCallbackZod {
  return (app, _options, done) => {
    app.get(
      '/audit/journeys/:journeyId/findings',
      {
        schema: {
          summary:
            'Audit a journey as of a date: what was known then, judged by the rules in force then',
          tags: ['audit'],
          params: journeyParams,
          querystring: z.object({ asOf: instant.optional() }),
          response: { 200: evaluationSchema },
        },
        config: auditorsOnly,
      },
      async (request) => {
        const { journeyId } = request.params;
        const audited = await auditOf(deps, request.principal, journeyId, request.query.asOf);
        const integrity = await verifyJourney(
          deps.store,
          audited.journey.journeyId,
          audited.journey.personId,
        );
        return {
          ...audited.evaluation,
          asOf: audited.asOf,
          integrity: findingsIntegrityAnswer(integrity),
          findings: audited.evaluation.findings.map((finding) => ({
            findingKey: findingKey(journeyId, finding),
            ...answerFinding(finding, findingIntegrity(integrity)),
          })),
        };
      },
    );

    app.get(
      '/audit/organisations/:orgId/findings',
      {
        schema: {
          summary: 'Audit every journey an organisation opened, over a period, as of a date',
          tags: ['audit'],
          params: orgParams,
          querystring: period,
          response: {
            200: z.object({
              orgId: z.uuid(),
              asOf: z.string(),
              journeys: z.number().int(),
              findings: z.array(findingSchema.extend({ journeyId: z.string() })),
            }),
          },
        },
        config: auditorsOnly,
      },
      async (request) => {
        const { orgId } = request.params;
        const report = await organisationReport(deps, request.principal, orgId, request.query);
        return {
          orgId,
          asOf: report.asOf,
          journeys: report.journeys,
          findings: report.findings.map((finding) => ({
            findingKey: findingKey(finding.journeyId, finding),
            ...finding,
          })),
        };
      },
    );
    done();
  };
}
