import {
  MOVEMENT_RESTRICTION_JUSTIFICATIONS,
  SHELTER_TRANSFER_REASONS,
  familyCodec,
  freeText,
  occurredOnOrAt,
  plannedDay,
  splitOccurredOn,
  shelterEventData,
  shelterExitReason,
  shelterFamily,
  type Role,
} from '@waypoint/contracts';
import { journeyGate, validConsent, type OpenJourney } from '@waypoint/journey-facts';
import { revealSealed, sealEvent } from '@waypoint/privacy';
import {
  commandAnswer,
  correctionRoutes,
  journeyCommands,
  result,
  runIdempotently,
  send,
  type Principal,
} from '@waypoint/service-kit';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ShelterDeps } from '../deps.js';
import { occupiedBy } from './occupancy.js';
import { streams } from '../streams.js';
import type { JourneyFacts, MovementInput, ShelterFacts } from './domain/commands.js';
import { placementDecider } from './domain/placement-decider.js';
import { placementView, type ShelterJourneyView } from './placement-view.js';

const codec = familyCodec(shelterFamily);
const journeyParams = z.object({ journeyId: z.uuid() });
const commandResult = commandAnswer({ journeyId: z.uuid(), revision: z.number().int() });

/** An incident as the client describes it; the day it happened as `occurredOn` or `occurredAt`. */
const incidentBody = shelterEventData.IncidentRecorded.pick({
  kind: true,
  severity: true,
  occurredOn: true,
  policeNotified: true,
}).extend({ description: freeText.optional() });

/** Who records placements, assessments and incidents. */
const RECORDERS: readonly Role[] = ['shelter_staff', 'caseworker', 'supervisor'];
const READERS: readonly Role[] = [...RECORDERS, 'reintegration_officer', 'data_protection_officer'];

/** A restriction of movement as the client describes it: completeness is the decider's guard. */
const restrictionInput = z.object({
  justificationCode: z
    .enum(MOVEMENT_RESTRICTION_JUSTIFICATIONS)
    .optional()
    .describe('The safety reason the restriction rests on'),
  justification: freeText.optional(),
  reviewDate: plannedDay.optional(),
});
const overrideReason = freeText
  .optional()
  .describe("A supervisor's reason for overriding the guards that allow it (recorded, encrypted).");
const placementBody = z.object({
  shelterId: z.uuid().describe('The shelter the person is placed in, from the shelter registry'),
  freedomOfMovementRestricted: z
    .boolean()
    .default(false)
    .describe("Whether the person's freedom of movement is restricted in the shelter"),
  restriction: restrictionInput
    .optional()
    .describe('With a restriction: its justification and the day it must be reviewed'),
  overrideReason,
});

function movementOf(body: {
  freedomOfMovementRestricted: boolean;
  restriction?: z.infer<typeof restrictionInput> | undefined;
}): MovementInput {
  const { justificationCode, justification, reviewDate } = body.restriction ?? {};
  return {
    restricted: body.freedomOfMovementRestricted,
    ...(justificationCode === undefined ? {} : { justificationCode }),
    ...(justification === undefined ? {} : { justification }),
    ...(reviewDate === undefined ? {} : { reviewDate }),
  };
}

/** The day of an instant, as the placement decisions count days (review dates, 30-day limits). */
const dayOf = (now: Date): string => now.toISOString().slice(0, 10);

const overrideOf = (reason: string | undefined): { overrideReason?: string } =>
  reason === undefined ? {} : { overrideReason: reason };

export function placementRoutes(deps: ShelterDeps): FastifyPluginCallbackZod {
  const journeys = journeyCommands({
    store: deps.store,
    now: deps.now,
    newId: deps.newId,
    gate: journeyGate(deps.journeys),
    stream: streams.journey,
    accessStream: streams.journeyAccess,
    decider: placementDecider,
    codec,
    seal: (event, eventId, journey, amendedType) =>
      sealEvent(shelterFamily, deps.cipher, event, eventId, journey.personId, amendedType),
  });

  const shelterFacts = async (
    shelterId: string,
    journeyId: string,
  ): Promise<ShelterFacts | null> => {
    const [registry, occupancy] = await Promise.all([
      deps.shelters.current(),
      deps.occupancy.current(),
    ]);
    const shelter = registry.get(shelterId);
    if (!shelter) return null;
    return {
      shelterId,
      operatorOrgId: shelter.operatorOrgId,
      type: shelter.type,
      capacity: shelter.capacity,
      childOnly: shelter.childOnly,
      adultsOnly: shelter.adultsOnly,
      secure: shelter.secure,
      closed: shelter.closed,
      occupied: occupiedBy(occupancy, shelterId, journeyId),
    };
  };

  const journeyFacts = (journey: OpenJourney, now: Date): JourneyFacts => ({
    presumedChild: journey.presumedChild,
    servicesConsentId: validConsent(journey, 'services', now.toISOString())?.consentId,
  });

  const actorOf = (principal: Principal) => ({
    userId: principal.userId,
    orgId: principal.orgId,
    roles: principal.roles,
  });

  /**
   * The journey's shelter view, revealed for the caller's categories, with the read recorded in
   * the service's access stream before anything is answered.
   */
  const revealedView = async (request: FastifyRequest, journeyId: string, route: string) => {
    const { value, revision } = await journeys.read(
      request,
      journeyId,
      route,
      ({ events, allowed }) => {
        const view: ShelterJourneyView = placementView(journeyId, events) ?? {
          journeyId,
          revision: -1,
          current: undefined,
          placements: [],
          riskAssessments: [],
          incidents: [],
          corrections: [],
        };
        return revealSealed(view, deps.cipher, allowed);
      },
    );
    return { view: value, revision };
  };

  return (app, _options, done) => {
    const decision = (summary: string, guards: string) => ({
      summary,
      description: `A decision taken through Waypoint, guarded: ${guards}`,
      tags: ['shelter'],
      params: journeyParams,
    });

    app.post(
      '/journeys/:journeyId/shelter/admissions',
      {
        schema: {
          ...decision(
            'Admit the person to a shelter',
            'no second admission while a placement is open (transfer instead); the shelter exists and is open; a child-only shelter admits children only; a restriction of movement needs a justification and a review date within 30 days. A supervisor may override, with a reason: the shelter at capacity, an adults-only shelter for a presumed child, no valid services consent.',
          ),
          body: placementBody,
          response: { 201: commandResult.extend({ placementId: z.uuid() }) },
        },
        config: { access: { roles: RECORDERS } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const { journeyId } = request.params;
          const { shelterId, overrideReason: reason, ...movement } = request.body;
          const placementId = deps.newId();
          const revision = await journeys.execute(
            request,
            journeyId,
            async ({ principal, journey, now }) => ({
              type: 'AdmitToShelter',
              placementId,
              shelter: await shelterFacts(shelterId, journeyId),
              journey: journeyFacts(journey, now),
              movement: movementOf(movement),
              actor: actorOf(principal),
              today: dayOf(now),
              ...overrideOf(reason),
            }),
          );
          return result(201, { journeyId, revision, placementId }, revision);
        }),
    );

    app.post(
      '/journeys/:journeyId/shelter/transfers',
      {
        schema: {
          ...decision(
            'Transfer the person to another shelter',
            'a placement is open; another shelter, existing and open; a child-only shelter admits children only; a restriction of movement needs a justification and a review date within 30 days. A supervisor may override, with a reason: the shelter at capacity, an adults-only shelter for a presumed child.',
          ),
          body: placementBody.extend({
            reason: z.enum(SHELTER_TRANSFER_REASONS).describe('Why the person is transferred'),
          }),
          response: { 201: commandResult.extend({ placementId: z.uuid() }) },
        },
        config: { access: { roles: RECORDERS } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const { journeyId } = request.params;
          const {
            shelterId,
            overrideReason: reason,
            reason: transferReason,
            ...movement
          } = request.body;
          const placementId = deps.newId();
          const revision = await journeys.execute(
            request,
            journeyId,
            async ({ principal, journey, now }) => ({
              type: 'TransferToShelter',
              placementId,
              shelter: await shelterFacts(shelterId, journeyId),
              journey: journeyFacts(journey, now),
              movement: movementOf(movement),
              reason: transferReason,
              actor: actorOf(principal),
              today: dayOf(now),
              ...overrideOf(reason),
            }),
          );
          return result(201, { journeyId, revision, placementId }, revision);
        }),
    );

    app.post(
      '/journeys/:journeyId/shelter/exits',
      {
        schema: {
          ...decision(
            'End the open placement',
            "a placement is open; a reason, with details for 'other'. Ending it for non-cooperation needs a supervisor's override (and the audit flags it).",
          ),
          body: z.object({
            reason: shelterExitReason.describe('Why the placement ends'),
            details: freeText.optional(),
            overrideReason,
          }),
          response: { 201: commandResult },
        },
        config: { access: { roles: RECORDERS } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const { journeyId } = request.params;
          const { reason, details, overrideReason: override } = request.body;
          const revision = await journeys.execute(request, journeyId, ({ principal, now }) => ({
            type: 'ExitShelter',
            reason,
            ...(details === undefined ? {} : { details }),
            actor: actorOf(principal),
            today: dayOf(now),
            ...overrideOf(override),
          }));
          return result(201, { journeyId, revision }, revision);
        }),
    );

    app.post(
      '/journeys/:journeyId/shelter/movement-restriction-reviews',
      {
        schema: {
          ...decision(
            'Review a restriction of freedom of movement',
            'a placement is open with a restriction; lifted (freedomOfMovementRestricted false), or continued with a justification and a new review date within 30 days.',
          ),
          body: z.object({
            freedomOfMovementRestricted: z
              .boolean()
              .describe('Whether the restriction continues: false lifts it'),
            restriction: restrictionInput
              .optional()
              .describe('When it continues: the justification and the next review day'),
          }),
          response: { 201: commandResult },
        },
        config: { access: { roles: RECORDERS } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const { journeyId } = request.params;
          const revision = await journeys.execute(request, journeyId, ({ principal, now }) => ({
            type: 'ReviewMovementRestriction',
            movement: movementOf(request.body),
            actor: actorOf(principal),
            today: dayOf(now),
          }));
          return result(201, { journeyId, revision }, revision);
        }),
    );

    app.post(
      '/journeys/:journeyId/shelter/risk-assessments',
      {
        schema: {
          summary: 'Record a safety risk assessment',
          description:
            'A recorded fact (RiskAssessmentCompleted, scope safety): accepted when well formed; linked to the open placement if any.',
          tags: ['shelter'],
          params: journeyParams,
          body: shelterEventData.RiskAssessmentCompleted.pick({
            level: true,
            risks: true,
            notes: true,
          }).extend({ notes: freeText.optional() }),
          response: { 201: commandResult.extend({ assessmentId: z.uuid() }) },
        },
        config: { access: { roles: RECORDERS } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const { journeyId } = request.params;
          const { notes, ...codes } = request.body;
          const assessmentId = deps.newId();
          const revision = await journeys.execute(request, journeyId, ({ principal }) => ({
            type: 'RecordRiskAssessment',
            data: {
              assessmentId,
              scope: 'safety',
              ...codes,
              assessedByOrgId: principal.orgId,
              ...(notes === undefined ? {} : { notes }),
            },
          }));
          return result(201, { journeyId, revision, assessmentId }, revision);
        }),
    );

    app.post(
      '/journeys/:journeyId/shelter/incidents',
      {
        schema: {
          summary: 'Record an incident',
          description:
            'A recorded fact (IncidentRecorded): accepted when well formed; linked to the open placement if any.',
          tags: ['shelter'],
          params: journeyParams,
          body: occurredOnOrAt(incidentBody),
          response: { 201: commandResult.extend({ incidentId: z.uuid() }) },
        },
        config: { access: { roles: RECORDERS } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const { journeyId } = request.params;
          const stated = splitOccurredOn(request.body);
          const { description, ...codes } = stated.data as z.output<typeof incidentBody>;
          const incidentId = deps.newId();
          const revision = await journeys.execute(request, journeyId, () => ({
            type: 'RecordIncident',
            data: { incidentId, ...codes, ...(description === undefined ? {} : { description }) },
            ...(stated.occurredAt === undefined ? {} : { occurredAt: stated.occurredAt }),
          }));
          return result(201, { journeyId, revision, incidentId }, revision);
        }),
    );

    void app.register(
      correctionRoutes({
        prefix: '/journeys/:journeyId/shelter',
        subject: 'a shelter event',
        roles: RECORDERS,
        retractRule: 'Placement decisions are retracted latest first.',
        amendRule: 'Decisions are not amended: retract and decide again.',
        correct: (request, journeyId, command) =>
          journeys.execute(request, journeyId, () => command),
      }),
    );

    const placementAnswer = z.looseObject({
      placementId: z.uuid(),
      status: z.enum(['open', 'ended']),
      startedAt: z.string(),
    });
    const readSchema = <Answer extends z.ZodType>(summary: string, answer: Answer) => ({
      summary,
      response: { 200: answer },
      description:
        'Personal values are decrypted for the categories your role may read; others show as restricted or erased. Every read is recorded.',
      tags: ['shelter'],
      params: journeyParams,
    });

    app.get(
      '/journeys/:journeyId/shelter',
      {
        schema: readSchema(
          "The journey's placements, safety risk assessments and incidents",
          z.looseObject({
            journeyId: z.uuid(),
            revision: z.number().int(),
            placements: z.array(placementAnswer),
            riskAssessments: z.array(z.looseObject({})),
            incidents: z.array(z.looseObject({})),
            corrections: z.array(z.looseObject({})),
          }),
        ),
        config: { access: { roles: READERS } },
      },
      async (request, reply) => {
        const { view, revision } = await revealedView(
          request,
          request.params.journeyId,
          'GET /journeys/:journeyId/shelter',
        );
        return send(reply, result(200, view, revision));
      },
    );
    app.get(
      '/journeys/:journeyId/shelter/placement',
      {
        schema: readSchema(
          "The person's current placement, or null",
          z.object({ journeyId: z.uuid(), placement: placementAnswer.nullable() }),
        ),
        config: { access: { roles: READERS } },
      },
      async (request, reply) => {
        const { journeyId } = request.params;
        const { view, revision } = await revealedView(
          request,
          journeyId,
          'GET /journeys/:journeyId/shelter/placement',
        );
        return send(reply, result(200, { journeyId, placement: view.current ?? null }, revision));
      },
    );
    app.get(
      '/journeys/:journeyId/shelter/placements',
      {
        schema: readSchema(
          "The person's placements, oldest first",
          z.object({ journeyId: z.uuid(), placements: z.array(placementAnswer) }),
        ),
        config: { access: { roles: READERS } },
      },
      async (request, reply) => {
        const { journeyId } = request.params;
        const { view, revision } = await revealedView(
          request,
          journeyId,
          'GET /journeys/:journeyId/shelter/placements',
        );
        return send(reply, result(200, { journeyId, placements: view.placements }, revision));
      },
    );
    done();
  };
}
