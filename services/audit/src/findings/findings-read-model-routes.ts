import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { HttpProblem } from '@waypoint/service-kit';
import { z } from 'zod';
import { auditableOrgIds, visibleJourney } from '../access.js';
import type { AuditDeps } from '../deps.js';
import { findingIntegrity, verifyJourney } from '../integrity/journey-integrity.js';
import { auditorsOnly, instant, row } from '../route-schemas.js';
import { answerFinding, type FindingIntegrity } from './finding-answer.js';
import { FINDINGS_PROJECTION } from './findings-projection.js';
import { listAlerts, listFindings } from './findings-queries.js';

/** The findings read model, with review status, and the alerts it raised for new breaches. */
export function findingsReadModelRoutes(deps: AuditDeps): FastifyPluginCallbackZod {
  /**
   * Verifies the streams of each journey once: what the read model's findings are worth now. A
   * journey no longer in the directory cannot be verified, so its findings are not vouched for.
   */
  const integrityOfJourneys = async (
    journeyIds: readonly string[],
  ): Promise<Map<string, FindingIntegrity>> => {
    const directory = await deps.journeys.current();
    const result = new Map<string, FindingIntegrity>();
    for (const journeyId of new Set(journeyIds)) {
      const journey = directory.get(journeyId);
      if (!journey) continue;
      result.set(
        journeyId,
        findingIntegrity(await verifyJourney(deps.store, journeyId, journey.personId)),
      );
    }
    return result;
  };

  return (app, _options, done) => {
    app.get(
      '/audit/findings',
      {
        schema: {
          summary: 'Findings as the read model holds them, with their review status',
          description:
            'Kept up to date as events arrive, and re-evaluated against the clock by a scheduler.',
          tags: ['audit'],
          querystring: z.object({
            journeyId: z.uuid().optional(),
            orgId: z.uuid().optional(),
            from: instant.optional(),
            to: instant.optional(),
            includeResolved: z.enum(['true', 'false']).optional(),
          }),
          response: {
            200: z.object({
              findings: z
                .array(row)
                .readonly()
                .describe('Each finding with its review status, citations and integrity'),
            }),
          },
        },
        config: auditorsOnly,
      },
      async (request) => {
        const { journeyId, orgId, from, to, includeResolved } = request.query;
        let orgIds: string[] | undefined;
        if (journeyId !== undefined) await visibleJourney(deps, request.principal, journeyId);
        else {
          const auditable = await auditableOrgIds(deps, request.principal);
          if (orgId !== undefined && !auditable.has(orgId))
            throw new HttpProblem('NOT_FOUND', 'No such organisation in your mandate');
          orgIds = orgId === undefined ? [...auditable] : [orgId];
        }
        const schema = await deps.readModels.schemaOf(FINDINGS_PROJECTION);
        const findings = await listFindings(deps.readModels.db, schema, {
          ...(journeyId === undefined ? {} : { journeyId }),
          ...(orgIds === undefined ? {} : { orgIds }),
          ...(from === undefined ? {} : { from }),
          ...(to === undefined ? {} : { to }),
          includeResolved: includeResolved === 'true',
        });
        const integrity = await integrityOfJourneys(findings.map((finding) => finding.journeyId));
        return {
          findings: findings.map((finding) =>
            answerFinding(finding, integrity.get(finding.journeyId) ?? 'unverifiable'),
          ),
        };
      },
    );

    app.get(
      '/audit/alerts',
      {
        schema: {
          summary: 'Alerts raised for new breaches, after a sequence number',
          tags: ['audit'],
          querystring: z.object({ after: z.coerce.number().int().nonnegative().optional() }),
          response: { 200: z.object({ alerts: z.array(row).readonly() }) },
        },
        config: auditorsOnly,
      },
      async (request) => {
        const orgIds = [...(await auditableOrgIds(deps, request.principal))];
        const schema = await deps.readModels.schemaOf(FINDINGS_PROJECTION);
        return {
          alerts: await listAlerts(deps.readModels.db, schema, {
            orgIds,
            ...(request.query.after === undefined ? {} : { after: request.query.after }),
          }),
        };
      },
    );
    done();
  };
}
