import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditableOrgIds, visibleJourney } from '../access.js';
import type { AuditDeps } from '../deps.js';
import { auditorsOnly, instant, row } from '../route-schemas.js';
import { ACCESS_LOG_PROJECTION, listAccess } from './access-log-projection.js';

/** Who read which journey's personal data, from the access log read model. */
export function accessLogRoutes(deps: AuditDeps): FastifyPluginCallbackZod {
  return (app, _options, done) => {
    app.get(
      '/audit/access-log',
      {
        schema: {
          summary: "Who read which journey's personal data, and when",
          tags: ['audit'],
          querystring: z.object({
            journeyId: z.uuid().optional(),
            userId: z
              .string()
              .min(1)
              .max(200)
              .refine(
                (value) => !Array.from(value).some((char) => char < ' ' || char === '\u007f'),
                'must not contain control characters',
              )
              .optional(),
            from: instant.optional(),
            to: instant.optional(),
          }),
          response: { 200: z.object({ entries: z.array(row).readonly() }) },
        },
        config: auditorsOnly,
      },
      async (request) => {
        const { journeyId, userId, from, to } = request.query;
        // A journey's reads are recorded under the journey and under its person.
        let subjectIds: string[];
        if (journeyId !== undefined) {
          const journey = await visibleJourney(deps, request.principal, journeyId);
          subjectIds = [journey.journeyId, journey.personId];
        } else {
          const orgs = await auditableOrgIds(deps, request.principal);
          subjectIds = [...(await deps.journeys.current()).values()]
            .filter((journey) => orgs.has(journey.openedByOrgId))
            .flatMap((journey) => [journey.journeyId, journey.personId]);
        }
        const schema = await deps.readModels.schemaOf(ACCESS_LOG_PROJECTION);
        return {
          entries: await listAccess(deps.readModels.db, schema, {
            subjectIds,
            ...(userId === undefined ? {} : { userId }),
            ...(from === undefined ? {} : { from }),
            ...(to === undefined ? {} : { to }),
          }),
        };
      },
    );
    done();
  };
}
