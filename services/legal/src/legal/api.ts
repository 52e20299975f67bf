import {
  familyCodec,
  legalEventData,
  legalFamily,
  legalPeriodInOrder,
  legalReflectionPeriodFields,
  occurredOnOrAt,
  splitOccurredOn,
  type LegalEvent,
  type Role,
  freeText,
} from '@waypoint/contracts';
import { journeyGate } from '@waypoint/journey-facts';
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
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { LegalDeps } from '../deps.js';
import { streams } from '../streams.js';
import type { FactEvent, FactType } from './domain/commands.js';
import { legalDecider } from './domain/legal-decider.js';
import { legalView } from './legal-view.js';

const family = familyCodec(legalFamily);
/**
 * A fact's occurrence time is when the outside body acted, not when it was recorded (the store
 * keeps that as recordedAt): audits replay the journey in the order things happened. It is the
 * stated `occurredAt` when the command gave one, else the day (`occurredOn`) at 00:00 UTC.
 */
const codec = {
  decode: family.decode,
  encode: (event: LegalEvent & { readonly occurredAt?: string }) => {
    const encoded = family.encode(event);
    const day = (event.data as { occurredOn?: unknown }).occurredOn;
    return encoded.occurredAt === undefined && typeof day === 'string'
      ? { ...encoded, occurredAt: `${day}T00:00:00.000Z` }
      : encoded;
  },
};

const journeyParams = z.object({ journeyId: z.uuid() });
const commandResult = commandAnswer({ journeyId: z.uuid(), revision: z.number().int() });

/** Who records the legal side of a journey. */
const RECORDERS: readonly Role[] = ['legal_advisor', 'caseworker', 'supervisor'];
/** Who reads it: return planning needs the reflection period and pending proceedings too. */
const READERS: readonly Role[] = [...RECORDERS, 'reintegration_officer', 'data_protection_officer'];

type IdField = 'periodId' | 'orderId' | 'detentionId' | 'claimId' | 'chargeId';

interface FactRoute {
  readonly path: string;
  readonly type: FactType;
  readonly summary: string;
  /** The event's data less its ids; when it happened is given as `occurredOn` or `occurredAt`. */
  readonly body: z.ZodObject;
  /** The id of what this fact starts, given by the service and answered. */
  readonly newId?: IdField;
  /** The id of what this fact is about, taken from the path. */
  readonly param?: IdField;
}

const data = legalEventData;
/** One route per recorded fact: the body is the event's data, less the ids the service or the path gives. */
const FACT_ROUTES: readonly FactRoute[] = [
  {
    path: 'reflection-periods',
    type: 'RecoveryReflectionPeriodGranted',
    summary: 'Record a recovery and reflection period granted',
    body: legalPeriodInOrder(legalReflectionPeriodFields),
    newId: 'periodId',
  },
  {
    path: 'reflection-periods/:periodId/end',
    type: 'RecoveryReflectionPeriodEnded',
    summary: 'Record that a reflection period ended, and why',
    body: data.RecoveryReflectionPeriodEnded.omit({ periodId: true }),
    param: 'periodId',
  },
  {
    path: 'removal-orders',
    type: 'RemovalOrderIssued',
    summary: 'Record an expulsion, Dublin transfer or return order issued',
    body: data.RemovalOrderIssued.omit({ orderId: true }),
    newId: 'orderId',
  },
  {
    path: 'removals',
    type: 'RemovalEnforced',
    summary: 'Record a removal enforced',
    body: data.RemovalEnforced,
  },
  {
    path: 'detentions',
    type: 'DetentionStarted',
    summary: 'Record that the person was detained',
    body: data.DetentionStarted.omit({ detentionId: true }),
    newId: 'detentionId',
  },
  {
    path: 'detentions/:detentionId/end',
    type: 'DetentionEnded',
    summary: 'Record that a detention ended',
    body: data.DetentionEnded.omit({ detentionId: true }),
    param: 'detentionId',
  },
  {
    path: 'residence-permits',
    type: 'ResidencePermitDecided',
    summary: 'Record a residence permit decision',
    body: data.ResidencePermitDecided,
  },
  {
    path: 'protection-claims',
    type: 'InternationalProtectionClaimLodged',
    summary: 'Record a claim for international protection lodged',
    body: data.InternationalProtectionClaimLodged.omit({ claimId: true }),
    newId: 'claimId',
  },
  {
    path: 'protection-claims/:claimId/decisions',
    type: 'InternationalProtectionClaimDecided',
    summary: 'Record a decision on a claim for international protection',
    body: data.InternationalProtectionClaimDecided.omit({ claimId: true }),
    param: 'claimId',
  },
  {
    path: 'legal-aid',
    type: 'LegalAidAssigned',
    summary: 'Record legal counselling or representation assigned',
    body: data.LegalAidAssigned,
  },
  {
    path: 'legal-aid-waivers',
    type: 'LegalAidWaived',
    summary: 'Record that the person waived legal assistance',
    body: data.LegalAidWaived,
  },
  {
    path: 'interviews',
    type: 'InterviewConducted',
    summary: 'Record an interview of the person by an authority',
    body: data.InterviewConducted,
  },
  {
    path: 'charges',
    type: 'CriminalChargeFiled',
    summary: 'Record a criminal charge against the person',
    body: data.CriminalChargeFiled.omit({ chargeId: true }),
    newId: 'chargeId',
  },
  {
    path: 'charges/:chargeId/prosecution-decisions',
    type: 'ProsecutionDecided',
    summary: 'Record a prosecution or court decision on a charge',
    body: data.ProsecutionDecided.omit({ chargeId: true }),
    param: 'chargeId',
  },
  {
    path: 'penalties',
    type: 'PenaltyImposed',
    summary: 'Record a penalty imposed on the person',
    body: data.PenaltyImposed,
  },
  {
    path: 'cooperation',
    type: 'CooperationStatusChanged',
    summary: "Record the person's willingness to cooperate with the authorities",
    body: data.CooperationStatusChanged,
  },
  {
    path: 'compensation-claims/filed-elsewhere',
    type: 'CompensationClaimed',
    summary: 'Record a compensation claim someone else filed',
    body: data.CompensationClaimed.omit({ claimId: true }),
    newId: 'claimId',
  },
  {
    path: 'compensation-claims/:claimId/decisions',
    type: 'CompensationDecided',
    summary: 'Record a decision on a compensation claim',
    body: data.CompensationDecided.omit({ claimId: true }),
    param: 'claimId',
  },
  {
    path: 'compensation-claims/:claimId/payments',
    type: 'CompensationPaid',
    summary: 'Record a compensation payment',
    body: data.CompensationPaid.omit({ claimId: true }),
    param: 'claimId',
  },
];

export function legalRoutes(deps: LegalDeps): FastifyPluginCallbackZod {
  const journeys = journeyCommands({
    store: deps.store,
    now: deps.now,
    newId: deps.newId,
    gate: journeyGate(deps.journeys),
    stream: streams.legal,
    accessStream: streams.access,
    decider: legalDecider,
    codec,
    seal: (event, eventId, journey, amendedType) =>
      sealEvent(legalFamily, deps.cipher, event, eventId, journey.personId, amendedType),
  });

  return (app, _options, done) => {
    for (const route of FACT_ROUTES) {
      const params = route.param
        ? journeyParams.extend({ [route.param]: z.uuid() })
        : journeyParams;
      const response = route.newId
        ? commandResult.extend({ [route.newId]: z.uuid() })
        : commandResult;
      app.post(
        `/journeys/:journeyId/legal/${route.path}`,
        {
          schema: {
            summary: route.summary,
            description: `A recorded fact (${route.type}): accepted when well formed, naming the body that acted; the audit judges it.`,
            tags: ['legal'],
            params,
            body: occurredOnOrAt(route.body),
            response: { 201: response },
          },
          config: { access: { roles: RECORDERS } },
        },
        async (request, reply) =>
          runIdempotently(request, reply, async () => {
            const path = request.params as Record<string, string>;
            const journeyId = path.journeyId ?? '';
            const ids: Record<string, string> = {};
            if (route.newId) ids[route.newId] = deps.newId();
            if (route.param) ids[route.param] = path[route.param] ?? '';
            const stated = splitOccurredOn(request.body);
            const event = {
              type: route.type,
              data: { ...stated.data, ...ids },
              ...(stated.occurredAt === undefined ? {} : { occurredAt: stated.occurredAt }),
            } as FactEvent;
            const revision = await journeys.execute(request, journeyId, ({ now }) => ({
              type: 'RecordFact',
              event,
              now: now.toISOString(),
            }));
            // The new id travels with the answer; the response schema names it per route.
            const answer: { journeyId: string; revision: number } = { journeyId, revision };
            return result(
              201,
              { ...answer, ...(route.newId ? { [route.newId]: ids[route.newId] } : {}) },
              revision,
            );
          }),
      );
    }

    app.post(
      '/journeys/:journeyId/legal/compensation-claims',
      {
        schema: {
          summary: 'File a compensation claim for the person',
          description:
            "A decision taken through Waypoint: needs the person's valid services consent, or a supervisor's override with a reason.",
          tags: ['legal'],
          params: journeyParams,
          body: legalEventData.CompensationClaimFiled.omit({
            claimId: true,
            consentId: true,
            override: true,
          }).extend({
            /** A supervisor's reason for filing without consent, recorded in their name. */
            overrideReason: freeText
              .optional()
              .describe(
                "A supervisor's reason for filing without the person's services consent (recorded, encrypted)",
              ),
          }),
          response: { 201: commandResult.extend({ claimId: z.uuid() }) },
        },
        config: { access: { roles: RECORDERS } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const { journeyId } = request.params;
          const { overrideReason, ...body } = request.body;
          const claimId = deps.newId();
          const revision = await journeys.execute(
            request,
            journeyId,
            ({ journey, principal, now }) => ({
              type: 'FileCompensationClaim',
              data: { ...body, claimId },
              ...(overrideReason === undefined ? {} : { overrideReason }),
              actor: principal,
              journey,
              now: now.toISOString(),
            }),
          );
          return result(201, { journeyId, revision, claimId }, revision);
        }),
    );

    void app.register(
      correctionRoutes({
        prefix: '/journeys/:journeyId/legal',
        subject: 'a legal event',
        roles: RECORDERS,
        amendRule: 'A decision is retracted and taken again instead.',
        correct: (request, journeyId, command) =>
          journeys.execute(request, journeyId, () => command),
      }),
    );

    app.get(
      '/journeys/:journeyId/legal',
      {
        schema: {
          summary: "The journey's legal status",
          description:
            'The reflection period and its end date, removals, detention, residence and protection, charges, compensation, and what is pending. Personal values are decrypted for the categories your role may read; others show as restricted or erased. Every read is recorded.',
          tags: ['legal'],
          params: journeyParams,
          response: {
            200: journeyViewAnswer(
              {},
              "The journey's legal status; personal values as far as your role may read them",
            ),
          },
        },
        config: { access: { roles: READERS } },
      },
      async (request, reply) => {
        const { journeyId } = request.params;
        const { value, revision } = await journeys.read(
          request,
          journeyId,
          'GET /journeys/:journeyId/legal',
          ({ events, now, allowed }) =>
            revealSealed(
              legalView(journeyId, events, now.toISOString().slice(0, 10)),
              deps.cipher,
              allowed,
            ),
        );
        return send(reply, result(200, value, revision));
      },
    );
    done();
  };
}
