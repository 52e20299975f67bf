import type { Role } from '@waypoint/contracts';
import { DomainError } from '@waypoint/decider';
import { canSeeJourney, NO_GRANTS } from '@waypoint/journey-facts';
import { accessRecordOf, recordAccess } from '@waypoint/service-kit';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CareDeps } from '../../deps.js';
import { streams } from '../../streams.js';
import type { ReadModels } from '../read-models.js';
import { CARE_PLAN_PROGRESS_PROJECTION } from './progress-projection.js';
import { CareProgressReadModel } from './progress-read-model.js';

/** Who reads a journey's care record (as in care/api.ts). */
const READERS: readonly Role[] = [
  'care_provider',
  'caseworker',
  'supervisor',
  'shelter_staff',
  'legal_advisor',
  'reintegration_officer',
  'data_protection_officer',
];

const ROUTE = 'GET /journeys/:journeyId/care/progress';
const instant = z.string().nullable();
const count = z.number().int();

const notFound = (): DomainError =>
  new DomainError('JOURNEY_NOT_FOUND', 'No such journey', 'not_found');

export function progressRoutes(deps: CareDeps, readModels: ReadModels): FastifyPluginCallbackZod {
  const readModel = new CareProgressReadModel(readModels.db, () =>
    readModels.schemaOf(CARE_PLAN_PROGRESS_PROJECTION),
  );
  return (app, _options, done) => {
    app.get(
      '/journeys/:journeyId/care/progress',
      {
        schema: {
          summary: "How the journey's care is going, per care plan",
          description:
            'Per plan: objectives in total and at each status, when progress was last recorded, care delivered and authorised for it; for the journey: whether assistance goes on, care delivered and authorised. Corrections applied. Codes, counts and dates only. Every read is recorded.',
          tags: ['care'],
          params: z.object({ journeyId: z.uuid() }),
          response: {
            200: z.object({
              journeyId: z.uuid(),
              assistance: z.object({
                status: z.enum(['none', 'assisting', 'ended']),
                endedAt: instant,
                reason: z.string().nullable(),
              }),
              deliveries: count,
              lastDeliveredAt: instant,
              authorisations: count,
              lastProgressAt: instant,
              plans: z.array(
                z.object({
                  planId: z.uuid(),
                  createdAt: z.string(),
                  reviewDate: z.string().nullable(),
                  objectives: z.object({
                    total: count,
                    notStarted: count,
                    inProgress: count,
                    partiallyAchieved: count,
                    achieved: count,
                    discontinued: count,
                  }),
                  lastProgressAt: instant,
                  deliveries: count,
                  authorisations: count,
                }),
              ),
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
        const progress = await readModel.progress(journeyId);
        const now = deps.now();
        await recordAccess(
          deps.store,
          streams.access(journeyId),
          accessRecordOf(request, { kind: 'journey', id: journeyId }, [], ROUTE),
          deps.newId,
          now,
        );
        return {
          journeyId,
          ...(progress ?? {
            assistance: { status: 'none' as const, endedAt: null, reason: null },
            deliveries: 0,
            lastDeliveredAt: null,
            authorisations: 0,
            lastProgressAt: null,
            plans: [],
          }),
        };
      },
    );
    done();
  };
}
