import { familyCodec, freeText } from '@waypoint/contracts';
import { handleCommand, type CommandContext } from '@waypoint/decider';
import { sealEvent } from '@waypoint/privacy';
import { commandContext, HttpProblem, result, runIdempotently } from '@waypoint/service-kit';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuditDeps } from '../deps.js';
import { auditOf } from '../journey-audit.js';
import { auditorsOnly, journeyParams } from '../route-schemas.js';
import { findingKey } from '../rules/evaluate.js';
import { streams } from '../streams.js';
import { auditFamily, FINDING_REASON_CODES } from './audit-family.js';
import { findingLifecycle } from './domain/finding-lifecycle.js';
import { statusOf } from './domain/state.js';

const codec = familyCodec(auditFamily);

/**
 * The envelope of a review. The audit stream's revision is never shown to clients (no ETag), so
 * If-Match cannot refer to it and is not taken as the expected revision. Review events keep the
 * envelope they have always had, without trace context: adding it changes the stored events.
 */
function reviewContext(request: FastifyRequest, now: Date): CommandContext {
  const {
    expectedRevision: _notOurs,
    traceparent: _notRecorded,
    ...context
  } = commandContext(request, now);
  return context;
}

/** Reviews of a journey's findings, each an event in the journey's audit stream. */
export function findingReviewRoutes(deps: AuditDeps): FastifyPluginCallbackZod {
  return (app, _options, done) => {
    app.post(
      '/audit/journeys/:journeyId/findings/reviews',
      {
        schema: {
          summary: 'Acknowledge or dismiss a flag, or annotate any finding, with a reason',
          description:
            'A breach cannot be dismissed or acknowledged, only annotated. Every review is an event in the audit stream.',
          tags: ['audit'],
          params: journeyParams,
          body: z.object({
            findingKey: z
              .string()
              .min(1)
              .max(2_000)
              .describe("The finding's key, as the journey's findings list gives it"),
            action: z
              .enum(['acknowledge', 'dismiss', 'annotate'])
              .describe('What the review does with the finding'),
            reasonCode: z.enum(FINDING_REASON_CODES).describe('Why, as a code'),
            note: freeText.optional().describe('A note for other reviewers (recorded, encrypted)'),
          }),
          response: {
            201: z.object({
              findingKey: z.string(),
              reviewStatus: z.enum(['open', 'acknowledged', 'dismissed']),
            }),
          },
        },
        config: auditorsOnly,
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const { journeyId } = request.params;
          const { action, reasonCode, note } = request.body;
          const key = request.body.findingKey;
          const audited = await auditOf(deps, request.principal, journeyId);
          const finding = audited.evaluation.findings.find(
            (candidate) => findingKey(journeyId, candidate) === key,
          );
          if (!finding)
            throw new HttpProblem(
              'NOT_FOUND',
              'No such finding in the current audit of this journey',
            );
          // The reviews so far and the revision they end at are read in one fold: a review
          // appended meanwhile makes the append fail, and the review is decided again on it.
          const outcome = await handleCommand({
            store: deps.store,
            stream: streams.audit(journeyId),
            decider: findingLifecycle,
            codec,
            command: {
              type: 'ReviewFinding',
              finding: {
                findingKey: key,
                journeyId,
                ruleId: finding.ruleId,
                severity: finding.severity,
              },
              action,
              reasonCode,
              note,
            },
            context: reviewContext(request, deps.now()),
            newEventId: deps.newId,
            seal: (event, eventId) =>
              sealEvent(auditFamily, deps.cipher, event, eventId, audited.journey.personId),
          });
          return result(201, { findingKey: key, reviewStatus: statusOf(outcome.state, key) });
        }),
    );
    done();
  };
}
