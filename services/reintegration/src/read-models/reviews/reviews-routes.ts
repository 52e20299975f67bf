import { reviewSituation, type Role } from '@waypoint/contracts';
import { DomainError } from '@waypoint/decider';
import { canSeeJourney, NO_GRANTS } from '@waypoint/journey-facts';
import { accessRecordOf, recordAccess } from '@waypoint/service-kit';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ReintegrationDeps } from '../../deps.js';
import { streams } from '../../streams.js';
import type { ReadModels } from '../read-models.js';
import { nextReviewDue, noReviews } from './domain/reviews.js';
import { REINTEGRATION_REVIEWS_PROJECTION } from './reviews-projection.js';
import { ReintegrationReviewsReadModel } from './reviews-read-model.js';

/** Who reads a journey's reintegration (as in journey/api.ts). */
const READERS: readonly Role[] = [
  'reintegration_officer',
  'caseworker',
  'supervisor',
  'auditor',
  'data_protection_officer',
];

const ROUTE = 'GET /journeys/:journeyId/reintegration/reviews/next';
const day = z.iso.date();
const score = z.number();

const notFound = (): DomainError =>
  new DomainError('JOURNEY_NOT_FOUND', 'No such journey', 'not_found');

export function reviewsRoutes(
  deps: ReintegrationDeps,
  readModels: ReadModels,
): FastifyPluginCallbackZod {
  const readModel = new ReintegrationReviewsReadModel(readModels.db, () =>
    readModels.schemaOf(REINTEGRATION_REVIEWS_PROJECTION),
  );
  return (app, _options, done) => {
    app.get(
      '/journeys/:journeyId/reintegration/reviews/next',
      {
        schema: {
          summary:
            'The reintegration plan, the last review with its scores and the situation found, and the next review',
          description:
            'When the next review is due (none once the journey is closed or the last review planned no further one) and whether it is overdue today. Corrections applied. Codes, scores and dates only. Every read is recorded.',
          tags: ['reintegration'],
          params: z.object({ journeyId: z.uuid() }),
          response: {
            200: z.object({
              journeyId: z.uuid(),
              today: day,
              status: z.enum(['open', 'closed']),
              plan: z
                .object({
                  planId: z.uuid(),
                  setting: z.string(),
                  supportAreas: z.array(z.string()),
                  firstReviewDue: day,
                  createdAt: z.string(),
                })
                .nullable(),
              reviews: z.number().int(),
              lastReview: z
                .object({
                  reviewId: z.uuid(),
                  method: z.string(),
                  reviewedAt: z.string(),
                  scores: z.object({
                    economic: score,
                    social: score,
                    psychosocial: score,
                    composite: score.optional(),
                  }),
                  situation: reviewSituation.nullable(),
                  nextReviewDue: day.nullable(),
                })
                .nullable(),
              nextReviewDue: day.nullable(),
              overdue: z.boolean(),
            }),
          },
        },
        config: { access: { roles: READERS } },
      },
      async (request) => {
        const { journeyId } = request.params;
        const principal = request.principal;
        const journey = (await deps.journeys.current()).get(journeyId);
        if (!journey || !canSeeJourney(journey, principal, NO_GRANTS, deps.now().toISOString()))
          throw notFound();
        const schedule = (await readModel.schedule(journeyId)) ?? noReviews(journeyId);
        const now = deps.now();
        await recordAccess(
          deps.store,
          streams.journeyAccess(journeyId),
          accessRecordOf(request, { kind: 'journey', id: journeyId }, [], ROUTE),
          deps.newId,
          now,
        );
        const today = now.toISOString().slice(0, 10);
        const due = nextReviewDue(schedule);
        return {
          journeyId,
          today,
          status: schedule.status,
          plan: schedule.plan,
          reviews: schedule.reviews,
          lastReview: schedule.lastReview,
          nextReviewDue: due,
          overdue: due !== null && due < today,
        };
      },
    );

    app.get(
      '/reintegration/reviews/due',
      {
        schema: {
          summary: 'Reintegration reviews due before a day, on the journeys you see',
          description:
            'Open journeys whose next review is due before `before` (overdue ones too), earliest first, a page at a time: pass `nextCursor` back as `cursor`. Codes and dates only.',
          tags: ['reintegration'],
          querystring: z.object({
            before: day,
            limit: z.coerce.number().int().min(1).max(500).default(100),
            cursor: z.string().min(1).max(400).optional(),
          }),
          response: {
            200: z.object({
              today: day,
              items: z.array(
                z.object({
                  journeyId: z.uuid(),
                  planId: z.uuid().nullable(),
                  nextReviewDue: day,
                  overdue: z.boolean(),
                  reviews: z.number().int(),
                  lastReviewAt: z.string().nullable(),
                }),
              ),
              nextCursor: z.string().nullable(),
            }),
          },
        },
        config: { access: { roles: READERS } },
      },
      async (request) => {
        const { before, limit, cursor } = request.query;
        const principal = request.principal;
        const visible = [...(await deps.journeys.current()).values()]
          .filter((journey) =>
            canSeeJourney(journey, principal, NO_GRANTS, deps.now().toISOString()),
          )
          .map((journey) => journey.journeyId);
        const page = await readModel.due({
          before,
          journeyIds: visible,
          limit,
          ...(cursor === undefined ? {} : { cursor }),
        });
        const today = deps.now().toISOString().slice(0, 10);
        return {
          today,
          items: page.items.map((item) => ({ ...item, overdue: item.nextReviewDue < today })),
          nextCursor: page.nextCursor,
        };
      },
    );
    done();
  };
}
