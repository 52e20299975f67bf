import {
  accessFamily,
  grantEventData,
  grantFamily,
  identificationFamily,
  type Role,
} from '@waypoint/contracts';
import { DomainError } from '@waypoint/decider';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { IdentificationDeps } from '../deps.js';
import { commandContext, result, runIdempotently } from '@waypoint/service-kit';
import { categories, streams } from '../streams.js';
import { sealEvent } from '@waypoint/privacy';

const BREAK_GLASS_USERS: readonly Role[] = [
  'caseworker',
  'supervisor',
  'shelter_staff',
  'care_provider',
  'legal_advisor',
  'reintegration_officer',
];
const REVIEWERS: readonly Role[] = ['supervisor', 'data_protection_officer'];

/**
 * Access outside the normal rules, always on the record: break-glass (a reason, a time limit, a
 * review list) and auditors' mandates over organisations for a period.
 */
export function accessRoutes(deps: IdentificationDeps): FastifyPluginCallbackZod {
  return (app, _options, done) => {
    app.post(
      '/journeys/:journeyId/break-glass',
      {
        schema: {
          summary: 'Open a journey outside your normal access, with a reason',
          description:
            'Recorded with your reason (encrypted), time-limited, and listed for review by supervisors and the data-protection officer.',
          tags: ['access'],
          params: z.object({ journeyId: z.uuid() }),
          body: z.object({
            reason: z
              .string()
              .trim()
              .min(10)
              .max(4_000)
              .describe(
                'Why you need to open the journey, at least 10 characters (recorded, encrypted)',
              ),
          }),
          response: { 201: z.object({ journeyId: z.uuid(), expiresAt: z.string() }) },
        },
        config: { access: { roles: BREAK_GLASS_USERS } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const principal = request.principal;
          const { journeyId } = request.params;
          let personId: string | undefined;
          for await (const recorded of deps.store.readStream(streams.journey(journeyId), {
            maxCount: 1,
          })) {
            const opening = identificationFamily.decode(recorded);
            if (opening.type === 'JourneyOpened') personId = opening.data.personId;
          }
          if (personId === undefined)
            throw new DomainError('JOURNEY_NOT_FOUND', 'No such journey', 'not_found');
          const now = deps.now();
          const expiresAt = new Date(now.getTime() + deps.breakGlassMinutes * 60_000).toISOString();
          const eventId = deps.newId();
          const event = accessFamily.encode({
            type: 'BreakGlassAccessed',
            data: {
              journeyId,
              userId: principal.userId,
              orgId: principal.orgId,
              reason: request.body.reason,
              expiresAt,
            },
          });
          const data = await sealEvent(accessFamily, deps.cipher, event, eventId, personId);
          const context = commandContext(request, now);
          await deps.store.append(streams.breakGlass(journeyId), [
            {
              id: eventId,
              ...event,
              data,
              metadata: {
                occurredAt: now.toISOString(),
                actor: context.actor,
                correlationId: context.correlationId,
                causationId: context.causationId,
              },
            },
          ]);
          return result(201, { journeyId, expiresAt });
        }),
    );

    app.get(
      '/break-glass',
      {
        schema: {
          summary: 'Break-glass openings to review',
          description:
            'Who opened which journey outside their normal access, when, until when. Reasons are not shown here.',
          tags: ['access'],
          querystring: z.object({ since: z.iso.datetime().optional() }),
          response: {
            200: z.object({
              openings: z.array(
                z.object({
                  journeyId: z.uuid(),
                  userId: z.string(),
                  orgId: z.uuid(),
                  at: z.string(),
                  expiresAt: z.string(),
                }),
              ),
            }),
          },
        },
        config: { access: { roles: REVIEWERS } },
      },
      async (request) => {
        const openings = [];
        for await (const recorded of deps.store.readAll({
          filter: { categories: [categories.breakGlass] },
        })) {
          const event = accessFamily.decode(recorded);
          if (event.type !== 'BreakGlassAccessed') continue;
          if (
            request.query.since !== undefined &&
            recorded.metadata.recordedAt < request.query.since
          )
            continue;
          openings.push({
            journeyId: event.data.journeyId,
            userId: event.data.userId,
            orgId: event.data.orgId,
            at: recorded.metadata.recordedAt,
            expiresAt: event.data.expiresAt,
          });
        }
        return { openings };
      },
    );

    app.post(
      '/auditor-mandates',
      {
        schema: {
          summary: 'Grant an auditor a mandate over organisations for a period',
          tags: ['access'],
          body: z.object({
            auditorUserId: z
              .string()
              .min(1)
              .max(200)
              .describe("The auditor's user id, as their token names them"),
            orgIds: z
              .array(z.uuid())
              .min(1)
              .max(100)
              .describe('The organisations whose journeys the auditor may read'),
            from: grantEventData.AuditorMandateGranted.shape.from,
            until: grantEventData.AuditorMandateGranted.shape.until,
          }),
          response: { 201: z.object({ mandateId: z.uuid() }) },
        },
        config: { access: { roles: ['data_protection_officer', 'admin'] satisfies Role[] } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const principal = request.principal;
          if (request.body.until <= request.body.from)
            throw new DomainError(
              'MANDATE_PERIOD_INVALID',
              'until must come after from',
              'precondition',
              'until',
            );
          const mandateId = deps.newId();
          const now = deps.now();
          const context = commandContext(request, now);
          const event = grantFamily.encode({
            type: 'AuditorMandateGranted',
            data: { mandateId, ...request.body, grantedBy: principal.userId },
          });
          await deps.store.append(streams.grants(request.body.auditorUserId), [
            {
              id: deps.newId(),
              ...event,
              metadata: {
                occurredAt: now.toISOString(),
                actor: context.actor,
                correlationId: context.correlationId,
                causationId: context.causationId,
              },
            },
          ]);
          return result(201, { mandateId });
        }),
    );
    done();
  };
}
