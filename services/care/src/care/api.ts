import {
  agreesWithOccurredAt,
  CARE_END_REASONS,
  CARE_LEGAL_BASES,
  careCode,
  careFamily,
  careProvider,
  familyCodec,
  freeText,
  languageCode,
  CARE_OBJECTIVE_STATUSES,
  occurredAtInput,
  pastInstant,
  plannedDay,
  statedInstant,
  supportPlanType,
  type Role,
} from '@waypoint/contracts';
import type { EventCodec } from '@waypoint/decider';
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
  type JourneyScene,
} from '@waypoint/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CareDeps } from '../deps.js';
import { streams } from '../streams.js';
import { carePlansView, careServicesView } from './care-views.js';
import { careDecider } from './domain/care-decider.js';
import type { ClaimedBasis } from './domain/commands.js';
import type { CareStreamEvent } from './domain/state.js';

/** Who records care: providers, caseworkers, supervisors (who alone may override). */
const RECORDERS: readonly Role[] = ['care_provider', 'caseworker', 'supervisor'];
/**
 * Who reads the care record of a journey they see: those who work with the person, each seeing
 * the personal values of their categories only (a shelter worker does not read clinical details).
 */
const READERS: readonly Role[] = [
  ...RECORDERS,
  'shelter_staff',
  'legal_advisor',
  'reintegration_officer',
  'data_protection_officer',
];

/** The family's codec, with the time a recorded fact happened as the event's occurredAt. */
const familyEvents = familyCodec(careFamily);
const codec: EventCodec<CareStreamEvent> = {
  decode: familyEvents.decode,
  encode(event) {
    const encoded = familyEvents.encode(event);
    const at =
      event.type === 'CareDelivered'
        ? event.data.deliveredAt
        : event.type === 'AssistanceEnded'
          ? event.data.endedAt
          : undefined;
    return at === undefined ? encoded : { ...encoded, occurredAt: new Date(at).toISOString() };
  },
};

const journeyParams = z.object({ journeyId: z.uuid() });
const planParams = journeyParams.extend({ planId: z.uuid() });
const objectiveParams = planParams.extend({ objectiveId: z.uuid() });
const commandResult = commandAnswer({ journeyId: z.uuid(), revision: z.number().int() });
/** Bounded as in the events: days planned ahead (reviews, targets, expiries), instants past. */
const day = plannedDay;
const instant = pastInstant;
/** Given together, a fact's own instant field (`deliveredAt`, `endedAt`) and `occurredAt` agree. */
const DIFFERENT_INSTANT = { path: ['occurredAt'], error: 'names another instant' };

/** How a decision is justified; the decider checks that the basis holds at that time. */
const basisBody = {
  legalBasis: z
    .enum(CARE_LEGAL_BASES)
    .default('consent')
    .describe('What the decision rests on: the services consent, or a supervisor override'),
  /** With supervisor_override: why consent could not be relied on (encrypted, notes). */
  overrideReason: freeText
    .optional()
    .describe('With supervisor_override: why consent could not be relied on (stored encrypted)'),
};
const objectiveBody = z.object({
  careCode,
  /** Derived from the care code; needed only with a local `x-` code. */
  supportPlanType: supportPlanType.optional(),
  targetDate: day.optional(),
  description: freeText.optional(),
});
const planBody = z.object({
  reviewDate: day.optional(),
  summary: freeText.optional(),
  objectives: z
    .array(objectiveBody)
    .min(1)
    .max(20)
    .describe("The plan's objectives, each naming the care it plans"),
  ...basisBody,
});
const progressBody = z.object({
  status: z.enum(CARE_OBJECTIVE_STATUSES).describe('How far the objective has come'),
  note: freeText.optional(),
});
const authorisationBody = z.object({
  careCode,
  supportPlanType: supportPlanType.optional(),
  provider: careProvider.optional(),
  planId: z.uuid().optional().describe('The care plan the authorisation serves, when there is one'),
  objectiveId: z
    .uuid()
    .optional()
    .describe('The objective of that plan the authorisation serves, when there is one'),
  validUntil: day.optional(),
  notes: freeText.optional(),
  ...basisBody,
});
const deliveryBody = z
  .object({
    careCode,
    supportPlanType: supportPlanType.optional(),
    provider: careProvider,
    language: languageCode,
    interpreterUsed: z.boolean().describe('An interpreter took part'),
    /** When the care was given (or `occurredAt`, the name every service accepts); now when omitted. */
    deliveredAt: instant.optional(),
    occurredAt: occurredAtInput.optional(),
    vitalInterest: z
      .boolean()
      .default(false)
      .describe('Given to protect the vital interests of the person (emergency care)'),
    authorisationId: z
      .uuid()
      .optional()
      .describe('The authorisation the care was given under, when there is one'),
    planId: z.uuid().optional().describe('The care plan the care served, when there is one'),
    objectiveId: z
      .uuid()
      .optional()
      .describe('The objective of that plan the care served, when there is one'),
    clinicalDetails: freeText.optional(),
    notes: freeText.optional(),
  })
  .refine(agreesWithOccurredAt('deliveredAt'), DIFFERENT_INSTANT);
const endBody = z
  .object({
    reason: z.enum(CARE_END_REASONS).describe('Why assistance ended'),
    endedBy: careProvider,
    /** When assistance ended (or `occurredAt`); now when omitted. */
    endedAt: instant.optional(),
    occurredAt: occurredAtInput.optional(),
    explanation: freeText.optional(),
    overrideReason: freeText
      .optional()
      .describe(
        "A supervisor's reason to end assistance for non-cooperation or a declined testimony (recorded, encrypted).",
      ),
  })
  .refine(agreesWithOccurredAt('endedAt'), DIFFERENT_INSTANT);

function claimedBasis(body: {
  legalBasis: ClaimedBasis['legalBasis'];
  overrideReason?: string | undefined;
}): ClaimedBasis {
  return { legalBasis: body.legalBasis, overrideReason: body.overrideReason };
}

type Scene = JourneyScene<OpenJourney>;

export function careRoutes(deps: CareDeps): FastifyPluginCallbackZod {
  const journeys = journeyCommands({
    store: deps.store,
    now: deps.now,
    newId: deps.newId,
    gate: journeyGate(deps.journeys),
    stream: streams.care,
    accessStream: streams.access,
    decider: careDecider,
    codec,
    seal: (event, eventId, journey, amendedType) =>
      sealEvent(careFamily, deps.cipher, event, eventId, journey.personId, amendedType),
  });
  const decision = (scene: Scene, basis: ClaimedBasis) => ({
    actor: scene.principal,
    now: scene.now.toISOString(),
    journey: scene.journey,
    basis,
  });

  /** Reads the care stream of a visible journey, reveals it per role, records the read, answers. */
  const read = async <View>(
    request: FastifyRequest,
    reply: FastifyReply,
    journeyId: string,
    route: string,
    fold: (journeyId: string, events: readonly RecordedEvent[]) => View,
  ) => {
    const { value, revision } = await journeys.read(
      request,
      journeyId,
      route,
      ({ events, allowed }) => revealSealed(fold(journeyId, events), deps.cipher, allowed),
    );
    return send(reply, result(200, value, revision));
  };

  return (app, _options, done) => {
    app.post(
      '/journeys/:journeyId/care/plans',
      {
        schema: {
          summary: 'Draw up a care plan with its objectives',
          description:
            "A decision taken through Waypoint: needs a valid services consent now, a vital-interest basis (emergency medical objectives only), or a supervisor's override with a reason.",
          tags: ['care'],
          params: journeyParams,
          body: planBody,
          response: {
            201: commandResult.extend({ planId: z.uuid(), objectiveIds: z.array(z.uuid()) }),
          },
        },
        config: { access: { roles: RECORDERS } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const { journeyId } = request.params;
          const { objectives, legalBasis, overrideReason, ...plan } = request.body;
          const planId = deps.newId();
          const planned = objectives.map((objective) => ({
            ...objective,
            objectiveId: deps.newId(),
          }));
          const revision = await journeys.execute(request, journeyId, (scene) => ({
            type: 'CreateCarePlan',
            plan: { ...plan, planId },
            objectives: planned,
            ...decision(scene, claimedBasis({ legalBasis, overrideReason })),
          }));
          const objectiveIds = planned.map((objective) => objective.objectiveId);
          return result(201, { journeyId, revision, planId, objectiveIds }, revision);
        }),
    );

    app.post(
      '/journeys/:journeyId/care/plans/:planId/objectives',
      {
        schema: {
          summary: 'Add an objective to a care plan',
          description:
            'A decision taken through Waypoint, guarded like the plan: services consent, vital interest (emergency medical) or override.',
          tags: ['care'],
          params: planParams,
          body: objectiveBody.extend(basisBody),
          response: { 201: commandResult.extend({ objectiveId: z.uuid() }) },
        },
        config: { access: { roles: RECORDERS } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const { journeyId, planId } = request.params;
          const { legalBasis, overrideReason, ...objective } = request.body;
          const objectiveId = deps.newId();
          const revision = await journeys.execute(request, journeyId, (scene) => ({
            type: 'AddObjective',
            planId,
            objective: { ...objective, objectiveId },
            ...decision(scene, claimedBasis({ legalBasis, overrideReason })),
          }));
          return result(201, { journeyId, revision, objectiveId }, revision);
        }),
    );

    app.post(
      '/journeys/:journeyId/care/plans/:planId/objectives/:objectiveId/progress',
      {
        schema: {
          summary: 'Record progress on a care-plan objective',
          tags: ['care'],
          params: objectiveParams,
          body: progressBody,
          response: { 201: commandResult },
        },
        config: { access: { roles: RECORDERS } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const { journeyId, planId, objectiveId } = request.params;
          const revision = await journeys.execute(request, journeyId, () => ({
            type: 'RecordProgress',
            data: { planId, objectiveId, ...request.body },
          }));
          return result(201, { journeyId, revision }, revision);
        }),
    );

    app.post(
      '/journeys/:journeyId/care/authorisations',
      {
        schema: {
          summary: 'Authorise care of one code',
          description:
            "A decision taken through Waypoint: needs a valid services consent now; emergency medical care may rest on the person's vital interest (marked as such); otherwise a supervisor's override with a reason.",
          tags: ['care'],
          params: journeyParams,
          body: authorisationBody,
          response: { 201: commandResult.extend({ authorisationId: z.uuid() }) },
        },
        config: { access: { roles: RECORDERS } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const { journeyId } = request.params;
          const { legalBasis, overrideReason, ...data } = request.body;
          const authorisationId = deps.newId();
          const revision = await journeys.execute(request, journeyId, (scene) => ({
            type: 'AuthoriseCare',
            data: { ...data, authorisationId },
            ...decision(scene, claimedBasis({ legalBasis, overrideReason })),
          }));
          return result(201, { journeyId, revision, authorisationId }, revision);
        }),
    );

    app.post(
      '/journeys/:journeyId/care/deliveries',
      {
        schema: {
          summary: 'Record care delivered by a provider',
          description:
            'A recorded fact (CareDelivered): accepted when well formed, whatever the consent was at the time; the audit checks it.',
          tags: ['care'],
          params: journeyParams,
          body: deliveryBody,
          response: { 201: commandResult.extend({ deliveryId: z.uuid() }) },
        },
        config: { access: { roles: RECORDERS } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const { journeyId } = request.params;
          const deliveryId = deps.newId();
          const { occurredAt, ...delivery } = request.body;
          const revision = await journeys.execute(request, journeyId, ({ now }) => ({
            type: 'RecordCareDelivered',
            data: {
              ...delivery,
              deliveryId,
              deliveredAt: statedInstant(delivery.deliveredAt, occurredAt, now),
            },
            now: now.toISOString(),
          }));
          return result(201, { journeyId, revision, deliveryId }, revision);
        }),
    );

    app.post(
      '/journeys/:journeyId/care/assistance-end',
      {
        schema: {
          summary: 'Record that assistance ended, with the reason',
          description:
            "A recorded fact (AssistanceEnded). Assistance does not depend on cooperation with the authorities: ending it for non-cooperation or a declined testimony needs a supervisor's override with a reason (and the audit still flags it).",
          tags: ['care'],
          params: journeyParams,
          body: endBody,
          response: { 201: commandResult },
        },
        config: { access: { roles: RECORDERS } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const { journeyId } = request.params;
          const { overrideReason, occurredAt, ...data } = request.body;
          const revision = await journeys.execute(request, journeyId, ({ now, principal }) => ({
            type: 'RecordAssistanceEnded',
            data: { ...data, endedAt: statedInstant(data.endedAt, occurredAt, now) },
            actor: principal,
            ...(overrideReason === undefined ? {} : { overrideReason }),
            now: now.toISOString(),
          }));
          return result(201, { journeyId, revision }, revision);
        }),
    );

    void app.register(
      correctionRoutes({
        prefix: '/journeys/:journeyId/care',
        subject: 'a care event',
        roles: RECORDERS,
        amendRule: 'Ids and the legal basis of a decision are kept.',
        correct: (request, journeyId, command) =>
          journeys.execute(request, journeyId, () => command),
      }),
    );

    app.get(
      '/journeys/:journeyId/care/plans',
      {
        schema: {
          summary: "The journey's care plans, objectives and progress",
          description:
            'Personal values are decrypted for the categories your role may read; others show as restricted or erased. Every read is recorded.',
          tags: ['care'],
          params: journeyParams,
          response: {
            200: journeyViewAnswer(
              {
                assistance: z.looseObject({}),
                plans: z
                  .array(z.looseObject({}))
                  .describe('Plans with their objectives and progress'),
                corrections: z.array(z.looseObject({})),
              },
              "The journey's care plans",
            ),
          },
        },
        config: { access: { roles: READERS } },
      },
      async (request, reply) =>
        read(
          request,
          reply,
          request.params.journeyId,
          'GET /journeys/:journeyId/care/plans',
          carePlansView,
        ),
    );

    app.get(
      '/journeys/:journeyId/care/services',
      {
        schema: {
          summary: 'Services delivered on the journey, per HTCDS support-plan type',
          description:
            'Deliveries grouped by support-plan type with their finer care codes, the care authorised, and whether assistance ended. Clinical details are health data. Every read is recorded.',
          tags: ['care'],
          params: journeyParams,
          response: {
            200: journeyViewAnswer(
              {
                assistance: z.looseObject({}),
                byType: z
                  .array(z.looseObject({}))
                  .describe('Services delivered, per HTCDS support-plan type'),
                authorisations: z.array(z.looseObject({})),
                corrections: z.array(z.looseObject({})),
              },
              'Services delivered on the journey',
            ),
          },
        },
        config: { access: { roles: READERS } },
      },
      async (request, reply) =>
        read(
          request,
          reply,
          request.params.journeyId,
          'GET /journeys/:journeyId/care/services',
          careServicesView,
        ),
    );
    done();
  };
}
