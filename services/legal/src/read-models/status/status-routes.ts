import { daysBetween, type Role } from '@waypoint/contracts';
import { DomainError } from '@waypoint/decider';
import { canSeeJourney, NO_GRANTS } from '@waypoint/journey-facts';
import { accessRecordOf, recordAccess } from '@waypoint/service-kit';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { LegalDeps } from '../../deps.js';
import { streams } from '../../streams.js';
import type { ReadModels } from '../read-models.js';
import { currentPeriod, noStatus, periodOn } from './domain/status.js';
import { LEGAL_STATUS_PROJECTION } from './status-projection.js';
import { LegalStatusReadModel } from './status-read-model.js';

/** Who reads the legal side of a journey (as in legal/api.ts). */
const READERS: readonly Role[] = [
  'legal_advisor',
  'caseworker',
  'supervisor',
  'reintegration_officer',
  'data_protection_officer',
];

const ROUTE = 'GET /journeys/:journeyId/legal/status';
const day = z.iso.date();

const period = z.object({
  periodId: z.uuid(),
  start: day,
  end: day,
  days: z.number().int(),
  atLeast30Days: z.boolean(),
  grantedOn: day,
  status: z.enum(['upcoming', 'running', 'elapsed', 'ended']),
  daysLeft: z.number().int(),
  endedOn: day.nullable(),
  endReason: z.string().nullable(),
});

const notFound = (): DomainError =>
  new DomainError('JOURNEY_NOT_FOUND', 'No such journey', 'not_found');

export function statusRoutes(deps: LegalDeps, readModels: ReadModels): FastifyPluginCallbackZod {
  const readModel = new LegalStatusReadModel(readModels.db, () =>
    readModels.schemaOf(LEGAL_STATUS_PROJECTION),
  );
  const today = (): string => deps.now().toISOString().slice(0, 10);

  return (app, _options, done) => {
    app.get(
      '/journeys/:journeyId/legal/status',
      {
        schema: {
          summary: "The journey's legal status at a glance, as of today",
          description:
            'The reflection period that counts now (its days, whether it is at least the 30 days the law requires, where it stands today and the days left), removal orders not enforced, open detention, the residence permit decision. Corrections applied. Codes and dates only. Every read is recorded.',
          tags: ['legal'],
          params: z.object({ journeyId: z.uuid() }),
          response: {
            200: z.object({
              journeyId: z.uuid(),
              today: day,
              reflectionPeriod: period.nullable(),
              pendingRemovalOrders: z.array(
                z.object({ orderId: z.uuid(), kind: z.string(), issuedOn: day }),
              ),
              removalsEnforced: z.number().int(),
              detention: z.object({
                open: z.boolean(),
                detentions: z.array(
                  z.object({
                    detentionId: z.uuid(),
                    kind: z.string(),
                    startedOn: day,
                    endedOn: day.nullable(),
                  }),
                ),
              }),
              residencePermit: z
                .object({
                  outcome: z.string(),
                  grounds: z.array(z.string()),
                  validUntil: day.nullable(),
                  decidedOn: day,
                })
                .nullable(),
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
        const status = (await readModel.status(journeyId)) ?? noStatus(journeyId);
        const now = deps.now();
        await recordAccess(
          deps.store,
          streams.access(journeyId),
          accessRecordOf(request, { kind: 'journey', id: journeyId }, [], ROUTE),
          deps.newId,
          now,
        );
        const on = now.toISOString().slice(0, 10);
        const current = currentPeriod(status);
        return {
          journeyId,
          today: on,
          reflectionPeriod: current ? periodOn(current, on) : null,
          pendingRemovalOrders: status.removalOrders
            .filter((order) => !order.enforced)
            .map(({ orderId, kind, issuedOn }) => ({ orderId, kind, issuedOn })),
          removalsEnforced: status.removals,
          detention: {
            open: status.detentions.some((detention) => detention.endedOn === null),
            detentions: status.detentions,
          },
          residencePermit: status.residencePermit,
        };
      },
    );

    app.get(
      '/legal/reflection-periods/ending',
      {
        schema: {
          summary: 'Reflection periods ending before a day, on the journeys you see',
          description:
            'The reflection periods that count now and were not ended early, whose end is before `before` (elapsed ones too), earliest end first, a page at a time: pass `nextCursor` back as `cursor`. Codes and dates only.',
          tags: ['legal'],
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
                  periodId: z.uuid(),
                  start: day,
                  end: day,
                  days: z.number().int(),
                  daysLeft: z.number().int(),
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
        const page = await readModel.ending({
          before,
          journeyIds: visible,
          limit,
          ...(cursor === undefined ? {} : { cursor }),
        });
        const on = today();
        return {
          today: on,
          items: page.items.map((item) => ({
            ...item,
            daysLeft: Math.max(0, daysBetween(on, item.end)),
          })),
          nextCursor: page.nextCursor,
        };
      },
    );
    done();
  };
}
