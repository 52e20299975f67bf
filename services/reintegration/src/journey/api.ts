import {
  occurredAtInput,
  occurrenceInstant,
  reintegrationEventData,
  reintegrationFamily,
  type Role,
  freeText,
} from '@waypoint/contracts';
import type { RecordedEvent } from '@waypoint/eventstore';
import { journeyGate, type OpenJourney } from '@waypoint/journey-facts';
import { revealSealed, sealEvent } from '@waypoint/privacy';
import {
  commandAnswer,
  correctionRoutes,
  journeyCommands,
  journeyViewAnswer,
  result,
  runIdempotently,
  send,
} from '@waypoint/service-kit';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ReintegrationDeps } from '../deps.js';
import { streams } from '../streams.js';
import { codec } from './codec.js';
import type { FactEvent, FactType } from './domain/commands.js';
import { reintegrationDecider } from './domain/reintegration-decider.js';
import { fold, nextReview, reintegrationView, scoreHistory } from './reintegration-view.js';

const PREFIX = '/journeys/:journeyId/reintegration';
const journeyParams = z.object({ journeyId: z.uuid() });
const commandResult = commandAnswer({ journeyId: z.uuid(), revision: z.number().int() });

/** Who records reintegration facts and decisions. */
const RECORDERS: readonly Role[] = ['reintegration_officer', 'caseworker', 'supervisor'];
const READERS: readonly Role[] = [...RECORDERS, 'auditor', 'data_protection_officer'];

/** A recorded fact's body: the event's data, and when it happened if that was not now. */
function factBody(schema: z.ZodObject) {
  return schema.extend({ occurredAt: occurredAtInput.optional() });
}

const FACTS: readonly { path: string; type: FactType; summary: string }[] = [
  {
    path: 'risk-assessments',
    type: 'RiskAssessmentCompleted',
    summary: 'Record a return, re-trafficking or reprisal risk assessment',
  },
  {
    path: 'family-assessments',
    type: 'FamilyAssessmentCompleted',
    summary: 'Record a family assessment',
  },
  {
    path: 'best-interests-determinations',
    type: 'BestInterestsDetermined',
    summary: 'Record a best-interests determination for the child',
  },
  { path: 'child-views', type: 'ChildViewsRecorded', summary: "Record the child's views" },
  {
    path: 'authority-return-decisions',
    type: 'ReturnDecided',
    summary: "Record an authority's return decision",
  },
  {
    path: 'return-executions',
    type: 'ReturnExecuted',
    summary: 'Record that the person was returned',
  },
  {
    path: 'receptions',
    type: 'ReceptionArrangedAtDestination',
    summary: 'Record the reception arranged at the destination',
  },
  {
    path: 'reviews',
    type: 'ReintegrationReviewCompleted',
    summary:
      'Record a periodic reintegration review with its scores and the situation found (housing, work, school, feeling safe, legal status)',
  },
  {
    path: 're-trafficking-reports',
    type: 'ReTraffickingReported',
    summary: 'Record a report that the person was re-trafficked',
  },
];

export function reintegrationRoutes(deps: ReintegrationDeps): FastifyPluginCallbackZod {
  const journeys = journeyCommands({
    store: deps.store,
    now: deps.now,
    newId: deps.newId,
    gate: journeyGate(deps.journeys),
    stream: streams.journey,
    accessStream: streams.journeyAccess,
    decider: reintegrationDecider,
    codec,
    seal: (event, eventId, journey, amendedType) =>
      sealEvent(reintegrationFamily, deps.cipher, event, eventId, journey.personId, amendedType),
  });

  /** Reads the stream of a journey the caller may see, and records the read before answering. */
  const read = async <Body>(
    request: FastifyRequest,
    journeyId: string,
    route: string,
    answer: (events: readonly RecordedEvent[], journey: OpenJourney, now: Date) => Body,
  ) => {
    const { value, revision } = await journeys.read(
      request,
      journeyId,
      route,
      ({ events, journey, now, allowed }) =>
        revealSealed(answer(events, journey, now), deps.cipher, allowed),
    );
    return result(200, value, revision);
  };

  return (app, _options, done) => {
    for (const fact of FACTS) {
      app.post(
        `${PREFIX}/${fact.path}`,
        {
          schema: {
            summary: fact.summary,
            description: `A recorded fact (${fact.type}): accepted when well formed; the audit judges it.`,
            tags: ['reintegration'],
            params: journeyParams,
            body: factBody(reintegrationEventData[fact.type]),
            response: { 201: commandResult },
          },
          config: { access: { roles: RECORDERS } },
        },
        async (request, reply) =>
          runIdempotently(request, reply, async () => {
            const { journeyId } = request.params;
            const { occurredAt, ...data } = request.body;
            const event = { type: fact.type, data } as FactEvent;
            const revision = await journeys.execute(request, journeyId, ({ now }) => ({
              type: 'RecordFact',
              event,
              now: now.toISOString(),
              ...(typeof occurredAt === 'string'
                ? { occurredAt: occurrenceInstant(occurredAt) }
                : {}),
            }));
            return result(201, { journeyId, revision }, revision);
          }),
      );
    }

    app.post(
      `${PREFIX}/assisted-returns`,
      {
        schema: {
          summary: 'Decide an assisted return',
          description:
            "A decision taken through Waypoint: needs a recent return risk assessment rating no risk high, a voluntary return and, for a child, a best-interests determination choosing return, a family assessment and the child's views. A destination family found implicated is refused. A supervisor may waive missing preconditions with `overrideReason`; the override is recorded with the decision.",
          tags: ['reintegration'],
          params: journeyParams,
          body: reintegrationEventData.AssistedReturnDecided.pick({
            returnId: true,
            voluntary: true,
            destination: true,
            countryOfReturn: true,
            plannedDate: true,
          }).extend({
            overrideReason: freeText
              .optional()
              .describe(
                "A supervisor's reason for waiving the preconditions that are missing (recorded, encrypted)",
              ),
          }),
          response: { 201: commandResult },
        },
        config: { access: { roles: RECORDERS } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const { journeyId } = request.params;
          const { overrideReason, ...data } = request.body;
          const revision = await journeys.execute(
            request,
            journeyId,
            ({ journey, principal, now }) => ({
              type: 'DecideAssistedReturn',
              data,
              actor: principal,
              journey: {
                presumedChild: journey.presumedChild,
                unaccompanied: journey.unaccompanied,
                guardianAppointed: journey.guardianAppointed,
              },
              now: now.toISOString(),
              riskAssessmentMaxAgeDays: deps.config.returnRiskAssessmentMaxAgeDays,
              ...(overrideReason === undefined ? {} : { overrideReason }),
            }),
          );
          return result(201, { journeyId, revision }, revision);
        }),
    );

    app.post(
      `${PREFIX}/plans`,
      {
        schema: {
          summary: 'Create a reintegration plan',
          description:
            'A decision taken through Waypoint: refused once the journey is closed or when the first review would be due in the past.',
          tags: ['reintegration'],
          params: journeyParams,
          body: reintegrationEventData.ReintegrationPlanCreated,
          response: { 201: commandResult },
        },
        config: { access: { roles: RECORDERS } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const { journeyId } = request.params;
          const revision = await journeys.execute(request, journeyId, ({ now }) => ({
            type: 'CreatePlan',
            data: request.body,
            now: now.toISOString(),
          }));
          return result(201, { journeyId, revision }, revision);
        }),
    );

    app.post(
      `${PREFIX}/closure`,
      {
        schema: {
          summary: 'Close the reintegration journey',
          description:
            'A decision taken through Waypoint. Facts (a review, a re-trafficking report) are still recorded after it.',
          tags: ['reintegration'],
          params: journeyParams,
          body: reintegrationEventData.JourneyClosed,
          response: { 201: commandResult },
        },
        config: { access: { roles: RECORDERS } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const { journeyId } = request.params;
          const revision = await journeys.execute(request, journeyId, () => ({
            type: 'CloseJourney',
            data: request.body,
          }));
          return result(201, { journeyId, revision }, revision);
        }),
    );

    void app.register(
      correctionRoutes({
        prefix: PREFIX,
        subject: 'a reintegration event',
        roles: RECORDERS,
        amendRule: 'A guarded decision is retracted and decided again instead.',
        correct: (request, journeyId, command) =>
          journeys.execute(request, journeyId, () => command),
      }),
    );

    const readDescription =
      'Personal values are decrypted for the categories your role may read; others show as restricted or erased. Every read is recorded.';
    app.get(
      PREFIX,
      {
        schema: {
          summary: "The journey's reintegration status",
          description: readDescription,
          tags: ['reintegration'],
          params: journeyParams,
          response: {
            200: journeyViewAnswer({}, "The journey's reintegration status"),
          },
        },
        config: { access: { roles: READERS } },
      },
      async (request, reply) => {
        const { journeyId } = request.params;
        const answer = await read(request, journeyId, `GET ${PREFIX}`, (events, journey, now) => {
          const { summary, revision } = fold(events);
          return {
            journeyId,
            revision: revision ?? null,
            ...reintegrationView(summary, journey, now, deps.config.returnRiskAssessmentMaxAgeDays),
          };
        });
        return send(reply, answer);
      },
    );

    app.get(
      `${PREFIX}/next-review`,
      {
        schema: {
          summary: 'When the next reintegration review is due',
          tags: ['reintegration'],
          params: journeyParams,
          response: {
            200: journeyViewAnswer({}, 'When the next review is due'),
          },
        },
        config: { access: { roles: READERS } },
      },
      async (request, reply) => {
        const { journeyId } = request.params;
        const answer = await read(
          request,
          journeyId,
          `GET ${PREFIX}/next-review`,
          (events, _journey, now) => {
            const { summary, revision } = fold(events);
            return {
              journeyId,
              revision: revision ?? null,
              ...nextReview(summary, now.toISOString().slice(0, 10)),
            };
          },
        );
        return send(reply, answer);
      },
    );

    app.get(
      `${PREFIX}/scores`,
      {
        schema: {
          summary: 'The reintegration score history (RSS economic, social, psychosocial)',
          description: readDescription,
          tags: ['reintegration'],
          params: journeyParams,
          response: {
            200: journeyViewAnswer({}, 'The RSS score history'),
          },
        },
        config: { access: { roles: READERS } },
      },
      async (request, reply) => {
        const { journeyId } = request.params;
        const answer = await read(request, journeyId, `GET ${PREFIX}/scores`, (events) => {
          const { summary, revision } = fold(events);
          return { journeyId, revision: revision ?? null, ...scoreHistory(summary) };
        });
        return send(reply, answer);
      },
    );
    done();
  };
}
