import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { visibleJourney } from '../access.js';
import type { AuditDeps } from '../deps.js';
import { auditorsOnly, journeyParams, row } from '../route-schemas.js';
import { publishDigest, verifyAgainstLatestDigest } from './digests.js';
import { verifyJourney } from './journey-integrity.js';

/** The hash chains of a journey's streams, and signed digests of every stream head. */
export function integrityRoutes(deps: AuditDeps): FastifyPluginCallbackZod {
  return (app, _options, done) => {
    app.get(
      '/audit/journeys/:journeyId/integrity',
      {
        schema: {
          summary: 'Verify the hash chain of every stream of a journey',
          tags: ['integrity'],
          params: journeyParams,
          response: {
            200: row.describe('The verification of every stream of the journey'),
          },
        },
        config: auditorsOnly,
      },
      async (request) => {
        const journey = await visibleJourney(deps, request.principal, request.params.journeyId);
        return verifyJourney(deps.store, journey.journeyId, journey.personId);
      },
    );

    app.post(
      '/audit/integrity/digests',
      {
        schema: {
          summary: 'Publish a signed digest of every stream head now',
          tags: ['integrity'],
          response: {
            201: z.object({
              createdAt: z.string(),
              position: z.string().describe('The log position the digest covers'),
              streams: z.number().int().describe('How many stream heads it signs'),
              keyId: z.string(),
            }),
          },
        },
        config: auditorsOnly,
      },
      async (_request, reply) => {
        const digest = await publishDigest(
          deps.store,
          deps.digests.log,
          deps.digests.keys,
          deps.now(),
        );
        void reply.status(201);
        return {
          createdAt: digest.createdAt,
          position: digest.position,
          streams: digest.heads.length,
          keyId: digest.keyId,
        };
      },
    );

    app.get(
      '/audit/integrity/digests/verification',
      {
        schema: {
          summary: 'Check the store against the latest signed digest',
          description: 'Names truncated tails, deleted streams and recomputed chains.',
          tags: ['integrity'],
          response: {
            200: z
              .looseObject({})
              .describe('Whether the store still matches the latest signed digest'),
          },
        },
        config: auditorsOnly,
      },
      async () =>
        verifyAgainstLatestDigest(deps.store, deps.digests.log, deps.digests.keys.publicKey),
    );
    done();
  };
}
