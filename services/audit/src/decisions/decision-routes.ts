import { readableCategories } from '@waypoint/contracts';
import { revealSealed } from '@waypoint/privacy';
import { accessRecordOf, recordAccess } from '@waypoint/service-kit';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuditDeps } from '../deps.js';
import { answerFinding } from '../findings/finding-answer.js';
import {
  findingIntegrity,
  findingsIntegrityAnswer,
  verifyJourney,
} from '../integrity/journey-integrity.js';
import { auditOf } from '../journey-audit.js';
import { auditorsOnly, journeyParams } from '../route-schemas.js';
import { profileAt } from '../rules/evaluate.js';
import { streams } from '../streams.js';
import { decisionLog } from './decision-log.js';

const ROUTE = 'GET /audit/journeys/:journeyId/decisions';

/** A journey's decision log, its sealed rationale revealed per role and the reveal recorded. */
export function decisionRoutes(deps: AuditDeps): FastifyPluginCallbackZod {
  return (app, _options, done) => {
    app.get(
      '/audit/journeys/:journeyId/decisions',
      {
        schema: {
          summary: 'Every decision of a journey, with who, on what basis, and what was known then',
          description:
            'Free-text rationale is shown only to roles allowed the notes category; showing it is recorded in the access log.',
          tags: ['audit'],
          params: journeyParams,
          response: {
            200: z.object({
              journeyId: z.uuid(),
              integrity: z.looseObject({}),
              decisions: z
                .unknown()
                .describe(
                  'Each decision with who, on what basis, what was known then, and its findings',
                ),
            }),
          },
        },
        config: auditorsOnly,
      },
      async (request) => {
        const { journeyId } = request.params;
        const principal = request.principal;
        const audited = await auditOf(deps, principal, journeyId);
        const profile = profileAt(deps.profiles, audited.journey.jurisdiction, audited.asOf);
        const integrity = await verifyJourney(
          deps.store,
          audited.journey.journeyId,
          audited.journey.personId,
        );
        const entries = decisionLog({
          recorded: audited.recorded,
          timeZone: profile.timeZone,
          findings: audited.evaluation.findings,
        }).map((entry) => ({
          ...entry,
          findings: entry.findings.map((finding) =>
            answerFinding(finding, findingIntegrity(integrity)),
          ),
        }));
        const { value, categories } = await revealSealed(
          entries,
          deps.cipher,
          readableCategories(principal.roles),
        );
        // Only a read that revealed personal data is recorded.
        if (categories.size > 0)
          await recordAccess(
            deps.store,
            streams.access(journeyId),
            accessRecordOf(request, { kind: 'journey', id: journeyId }, [...categories], ROUTE),
            deps.newId,
            deps.now(),
          );
        return {
          journeyId,
          integrity: findingsIntegrityAnswer(integrity),
          decisions: value,
        };
      },
    );
    done();
  };
}
