import {
  familyCodec,
  identificationEventData,
  identificationFamily,
  occurrenceInstant,
  readableCategories,
  type Role,
  freeText,
} from '@waypoint/contracts';
import { DomainError, handleCommand, type Decider } from '@waypoint/decider';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { grantsFor } from '../access/grants.js';
import type { IdentificationDeps } from '../deps.js';
import {
  commandAnswer,
  commandContext,
  result,
  runIdempotently,
  send,
  correctionRoutes,
} from '@waypoint/service-kit';
import { streams } from '../streams.js';
import { factBody, type FactType, type JourneyCommand } from './domain/commands.js';
import { canSeeJourney, NO_GRANTS, type Grants } from '@waypoint/journey-facts';
import { assertMayChange, NotVisibleError, type Visibility } from '../access/write-guard.js';
import { journeyDecider } from './domain/journey-decider.js';
import type { JourneyEvent, JourneyState } from '@waypoint/journey-facts';
import { identificationView } from './identification-view.js';
import { revealSealed, sealEvent } from '@waypoint/privacy';
import type { FastifyRequest } from 'fastify';
import { accessRecordOf, recordAccess, type Principal } from '@waypoint/service-kit';

const codec = familyCodec(identificationFamily);
const journeyParams = z.object({ journeyId: z.uuid() });
const commandResult = commandAnswer({ journeyId: z.uuid(), revision: z.number().int() });

/** Who records identification facts and decisions. */
const RECORDERS: readonly Role[] = ['caseworker', 'supervisor'];
/** Staff of a referred organisation answer referrals. */
const REFERRAL_ANSWERERS: readonly Role[] = [
  'caseworker',
  'supervisor',
  'shelter_staff',
  'care_provider',
  'legal_advisor',
  'reintegration_officer',
];
const READERS: readonly Role[] = [...REFERRAL_ANSWERERS, 'auditor', 'data_protection_officer'];

/**
 * The decider, behind the access rule (`assertMayChange`): a journey the caller may not see does
 * not exist for them (404, never 403), so nothing about it leaks through an error; one they may
 * only read is refused (403).
 */
function guarded(
  principal: Principal,
  grants: Grants,
  visibility: Visibility,
  at: string,
): Decider<JourneyCommand, JourneyEvent, JourneyState> {
  return {
    ...journeyDecider,
    decide(command, state) {
      if (state.status === 'open')
        assertMayChange(state, command, principal, grants, visibility, at);
      return journeyDecider.decide(command, state);
    },
  };
}

export function journeyRoutes(deps: IdentificationDeps): FastifyPluginCallbackZod {
  const execute = async (
    request: FastifyRequest,
    journeyId: string,
    build: (principal: Principal, now: Date) => JourneyCommand,
    visibility: Visibility = 'journey',
  ): Promise<{ revision: number }> => {
    const principal = request.principal;
    const now = deps.now();
    // Grants (mandates, break-glass) never let a caller change a journey; they are read only when
    // the caller's organisation does not work on it, to answer a reader 403 and a stranger 404.
    try {
      return await executeWith(request, journeyId, build, visibility, principal, now, NO_GRANTS);
    } catch (error) {
      if (!(error instanceof NotVisibleError)) throw error;
      const grants = await grantsFor(deps.store, principal, journeyId, now);
      return executeWith(request, journeyId, build, visibility, principal, now, grants);
    }
  };

  const executeWith = async (
    request: FastifyRequest,
    journeyId: string,
    build: (principal: Principal, now: Date) => JourneyCommand,
    visibility: Visibility,
    principal: Principal,
    now: Date,
    grants: Grants,
  ): Promise<{ revision: number }> => {
    const result = await handleCommand({
      store: deps.store,
      stream: streams.journey(journeyId),
      decider: guarded(principal, grants, visibility, now.toISOString()),
      codec,
      command: build(principal, now),
      context: commandContext(request, now),
      newEventId: deps.newId,
      seal: (event, eventId, state, amendedType) => {
        const subject =
          state.status === 'open' ? state.personId : (event.data as { personId: string }).personId;
        return sealEvent(identificationFamily, deps.cipher, event, eventId, subject, amendedType);
      },
    });
    if (result.revision === null)
      throw new DomainError('JOURNEY_NOT_FOUND', 'No such journey', 'not_found');
    return { revision: result.revision };
  };

  /** One route per recorded fact: the body is the event's data, checked by its own schema. */
  const factRoute = <Type extends FactType>(
    path: string,
    type: Type,
    summary: string,
    roles: readonly Role[] = RECORDERS,
  ) => ({
    path,
    type,
    summary,
    roles,
  });
  const facts = [
    factRoute('first-contact', 'FirstContactRecorded', 'Record the first contact with the person'),
    factRoute('indicators', 'IndicatorsObserved', 'Record indicators of trafficking observed'),
    factRoute(
      'reasonable-grounds',
      'ReasonableGroundsDecided',
      "Record a competent body's reasonable-grounds decision",
    ),
    factRoute(
      'conclusive-grounds',
      'ConclusiveGroundsDecided',
      "Record a competent body's conclusive identification decision",
    ),
    factRoute(
      'age-uncertainty',
      'AgeUncertaintyRecorded',
      'Record reasons to believe the person is a child',
    ),
    factRoute('age-assessment', 'AgeAssessed', 'Record the outcome of an age assessment'),
    factRoute(
      'unaccompanied',
      'UnaccompaniedChildRecorded',
      'Record that the child is unaccompanied or separated',
    ),
    factRoute('guardian', 'GuardianAppointed', 'Record the appointment of a guardian'),
    factRoute('consents', 'ConsentRecorded', 'Record informed consent for one scope'),
    factRoute('information', 'InformationProvided', 'Record information given to the person'),
  ];

  return (app, _options, done) => {
    for (const fact of facts) {
      app.post(
        `/journeys/:journeyId/${fact.path}`,
        {
          schema: {
            summary: fact.summary,
            description: `A recorded fact (${fact.type}): accepted when well formed; the audit judges it.`,
            tags: ['journeys'],
            params: journeyParams,
            body: factBody(fact.type),
            response: { 201: commandResult, 200: commandResult },
          },
          config: { access: { roles: fact.roles } },
        },
        async (request, reply) =>
          runIdempotently(request, reply, async () => {
            const { journeyId } = request.params;
            const { occurredAt, ...data } = request.body;
            const event = {
              type: fact.type,
              data,
              ...(occurredAt === undefined ? {} : { occurredAt: occurrenceInstant(occurredAt) }),
            } as Extract<JourneyCommand, { type: 'RecordFact' }>['event'];
            const { revision } = await execute(request, journeyId, () => ({
              type: 'RecordFact',
              event,
            }));
            return result(201, { journeyId, revision }, revision);
          }),
      );
    }

    app.post(
      '/journeys/:journeyId/consents/:consentId/withdrawal',
      {
        schema: {
          summary: 'Record that consent was withdrawn',
          tags: ['journeys'],
          params: journeyParams.extend({ consentId: z.uuid() }),
          response: { 201: commandResult },
        },
        config: { access: { roles: RECORDERS } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const { journeyId, consentId } = request.params;
          const { revision } = await execute(request, journeyId, () => ({
            type: 'WithdrawConsent',
            consentId,
          }));
          return result(201, { journeyId, revision }, revision);
        }),
    );

    const referralBody = identificationEventData.ReferralMade.omit({
      referralId: true,
      override: true,
    }).extend({
      /** A supervisor's override in place of consent: their reason, recorded in their name. */
      overrideReason: freeText
        .optional()
        .describe(
          "A supervisor's reason for referring without a sharing consent (recorded, encrypted)",
        ),
    });
    app.post(
      '/journeys/:journeyId/referrals',
      {
        schema: {
          summary: 'Refer the journey to another organisation',
          description:
            'A decision taken through Waypoint: needs a valid sharing consent covering the organisation, or a supervisor override with a reason.',
          tags: ['journeys'],
          params: journeyParams,
          body: referralBody,
          response: { 201: commandResult.extend({ referralId: z.uuid() }) },
        },
        config: { access: { roles: RECORDERS } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const { journeyId } = request.params;
          const { overrideReason, ...body } = request.body;
          const referralId = deps.newId();
          const directory = await deps.directory.current();
          const target = directory.get(body.toOrgId);
          const { revision } = await execute(request, journeyId, (principal, now) => ({
            type: 'MakeReferral',
            data: {
              ...body,
              referralId,
              ...(overrideReason === undefined
                ? {}
                : { override: { supervisorUserId: principal.userId, reason: overrideReason } }),
            },
            actor: principal,
            target: target
              ? { orgId: target.orgId, acceptsReferrals: target.acceptsReferrals }
              : null,
            now: now.toISOString(),
          }));
          return result(201, { journeyId, revision, referralId }, revision);
        }),
    );

    const referralParams = journeyParams.extend({ referralId: z.uuid() });
    app.post(
      '/journeys/:journeyId/referrals/:referralId/acceptance',
      {
        schema: {
          summary: 'Accept a referral addressed to your organisation',
          tags: ['journeys'],
          params: referralParams,
          response: { 201: commandResult },
        },
        config: { access: { roles: REFERRAL_ANSWERERS } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const { journeyId, referralId } = request.params;
          const { revision } = await execute(
            request,
            journeyId,
            (actor, now) => ({ type: 'AcceptReferral', referralId, actor, now: now.toISOString() }),
            'pending-referral',
          );
          return result(201, { journeyId, revision }, revision);
        }),
    );
    app.post(
      '/journeys/:journeyId/referrals/:referralId/rejection',
      {
        schema: {
          summary: 'Decline a referral addressed to your organisation',
          tags: ['journeys'],
          params: referralParams,
          body: identificationEventData.ReferralRejected.pick({ reasonCode: true }),
          response: { 201: commandResult },
        },
        config: { access: { roles: REFERRAL_ANSWERERS } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const { journeyId, referralId } = request.params;
          const { revision } = await execute(
            request,
            journeyId,
            (actor) => ({
              type: 'RejectReferral',
              referralId,
              reasonCode: request.body.reasonCode,
              actor,
            }),
            'pending-referral',
          );
          return result(201, { journeyId, revision }, revision);
        }),
    );
    app.post(
      '/journeys/:journeyId/referrals/:referralId/completion',
      {
        schema: {
          summary: 'Complete an accepted referral',
          tags: ['journeys'],
          params: referralParams,
          response: { 201: commandResult },
        },
        config: { access: { roles: REFERRAL_ANSWERERS } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const { journeyId, referralId } = request.params;
          const { revision } = await execute(request, journeyId, (actor) => ({
            type: 'CompleteReferral',
            referralId,
            actor,
          }));
          return result(201, { journeyId, revision }, revision);
        }),
    );

    void app.register(
      correctionRoutes({
        prefix: '/journeys/:journeyId',
        subject: 'an identification event',
        roles: RECORDERS,
        amendRule: 'A decision is retracted and decided again instead.',
        correct: async (request, journeyId, command) =>
          (await execute(request, journeyId, () => command)).revision,
      }),
    );

    app.get(
      '/journeys/:journeyId/identification',
      {
        schema: {
          summary: "The journey's identification state",
          description:
            'Personal values are decrypted for the categories your role may read; others show as restricted or erased. Every read is recorded.',
          tags: ['journeys'],
          params: journeyParams,
          response: {
            200: z
              .looseObject({
                journeyId: z.uuid(),
                personId: z.uuid(),
                jurisdiction: z.string(),
                openedByOrgId: z.uuid(),
                openedAt: z.string(),
                revision: z
                  .number()
                  .int()
                  .describe('The stream revision; send it back in If-Match'),
                indicators: z.array(z.looseObject({ occurredAt: z.string() })),
                child: z.looseObject({ presumedChild: z.boolean(), unaccompanied: z.boolean() }),
              })
              .describe(
                'Identification so far; personal values revealed as far as your role may read them',
              ),
          },
        },
        config: { access: { roles: READERS } },
      },
      async (request, reply) => {
        const { journeyId } = request.params;
        const principal = request.principal;
        const now = deps.now();
        const events = [];
        for await (const event of deps.store.readStream(streams.journey(journeyId)))
          events.push(event);
        const state = events
          .map((event) => codec.decode(event))
          .reduce(journeyDecider.evolve, journeyDecider.initialState());
        const view = identificationView(events);
        if (state.status !== 'open' || !view)
          throw new DomainError('JOURNEY_NOT_FOUND', 'No such journey', 'not_found');
        // Grants (a mandate, a break-glass) are read only when organisation and referrals are not enough.
        let breakGlass = false;
        let allowed = readableCategories(principal.roles);
        const at = now.toISOString();
        if (!canSeeJourney(state, principal, NO_GRANTS, at)) {
          const grants = await grantsFor(deps.store, principal, journeyId, now);
          breakGlass = canSeeJourney(
            state,
            principal,
            { ...NO_GRANTS, breakGlassJourneyIds: grants.breakGlassJourneyIds },
            at,
          );
          if (!breakGlass) {
            if (!canSeeJourney(state, principal, grants, at))
              throw new DomainError('JOURNEY_NOT_FOUND', 'No such journey', 'not_found');
            // Seen through an auditor's mandate only: the auditor's categories, whatever other roles the token carries.
            allowed = readableCategories(['auditor']);
          }
        }
        const revealed = await revealSealed(view, deps.cipher, allowed);
        await recordAccess(
          deps.store,
          streams.journeyAccess(journeyId),
          accessRecordOf(
            request,
            { kind: 'journey', id: journeyId },
            [...revealed.categories],
            'GET /journeys/:journeyId/identification',
            breakGlass,
          ),
          deps.newId,
          now,
        );
        return send(reply, result(200, revealed.value, view.revision));
      },
    );
    done();
  };
}
