import {
  familyCodec,
  identificationFamily,
  personFamily,
  type Role,
  freeText,
} from '@waypoint/contracts';
import { DomainError, handleCommand, readState } from '@waypoint/decider';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { IdentificationDeps } from '../deps.js';
import { commandAnswer, commandContext, result, runIdempotently } from '@waypoint/service-kit';
import { personDecider } from '../person/domain/person-decider.js';
import { streams } from '../streams.js';
import { journeyDecider } from './domain/journey-decider.js';
import { sealEvent } from '@waypoint/privacy';
import type { FastifyRequest } from 'fastify';

const journeyCodec = familyCodec(identificationFamily);
const personCodec = familyCodec(personFamily);
const OPENERS: readonly Role[] = ['caseworker', 'supervisor'];

/**
 * Opening a journey touches two streams: the person's (which guards one open journey at a time)
 * and the new journey's. The person's goes first; if the second append is interrupted, the next
 * opening for that person completes the journey it left half open before deciding anything else.
 */
export function openJourneyRoutes(deps: IdentificationDeps): FastifyPluginCallbackZod {
  /**
   * Completes the journeys whose opening was recorded on the person's stream but whose own stream
   * was never written (an interrupted request). Returns them, with who opened them.
   */
  const completeInterrupted = async (
    personId: string,
    request: FastifyRequest,
  ): Promise<{ journeyId: string; userId: string; orgId: string }[]> => {
    const completed = [];
    for await (const recorded of deps.store.readStream(streams.person(personId))) {
      const event = personCodec.decode(recorded);
      if (event.type !== 'PersonJourneyOpened') continue;
      if ((await deps.store.streamRevision(streams.journey(event.data.journeyId))) !== null)
        continue;
      await openJourneyStream(
        request,
        event.data.journeyId,
        personId,
        event.data.jurisdiction,
        event.data.openedByOrgId,
        undefined,
        recorded.metadata.actor,
      );
      completed.push({
        journeyId: event.data.journeyId,
        userId: recorded.metadata.actor.userId,
        orgId: event.data.openedByOrgId,
      });
    }
    return completed;
  };

  /** Writes JourneyOpened; a journey another request completed meanwhile counts as opened. */
  const openJourneyStream = async (
    request: FastifyRequest,
    journeyId: string,
    personId: string,
    jurisdiction: string,
    openedByOrgId: string,
    additionalJourneyReason: string | undefined,
    actor?: { userId: string; role: string; orgId: string },
  ): Promise<number> => {
    try {
      const opened = await handleCommand({
        store: deps.store,
        stream: streams.journey(journeyId),
        decider: journeyDecider,
        codec: journeyCodec,
        command: {
          type: 'OpenJourney',
          data: {
            journeyId,
            personId,
            jurisdiction,
            openedByOrgId,
            ...(additionalJourneyReason === undefined ? {} : { additionalJourneyReason }),
          },
        },
        context: { ...commandContext(request, deps.now()), ...(actor ? { actor } : {}) },
        newEventId: deps.newId,
        maxAttempts: 1,
        seal: (event, eventId) =>
          sealEvent(identificationFamily, deps.cipher, event, eventId, personId),
      });
      return opened.revision ?? 0;
    } catch (error) {
      const alreadyOpened =
        error instanceof DomainError &&
        (error.code === 'JOURNEY_ALREADY_EXISTS' || error.code === 'CONCURRENT_UPDATE');
      if (!alreadyOpened) throw error;
      return (await deps.store.streamRevision(streams.journey(journeyId))) ?? 0;
    }
  };

  return (app, _options, done) => {
    app.post(
      '/journeys',
      {
        schema: {
          summary: 'Open a journey for a registered person',
          description:
            'A decision taken through Waypoint. A person with an open journey gets a second one only with an explicit reason. The jurisdiction decides the audit profile.',
          tags: ['journeys'],
          body: z
            .object({
              personId: z.uuid().describe('The registered person the journey is for'),
              jurisdiction: z
                .string()
                .regex(
                  /^[A-Z]{2}(?:-[A-Z0-9]{1,8})?$/,
                  'a jurisdiction profile such as NL or BE-VL',
                )
                .describe(
                  'The jurisdiction profile the journey runs under (audit time limits, time zone)',
                ),
              additionalJourneyReason: freeText
                .optional()
                .describe(
                  'Why a second journey is opened while another is open (recorded, encrypted)',
                ),
            })
            .meta({
              examples: [{ personId: '0192f0c4-7c1e-7a55-9a2f-5e0c1f4d2b3a', jurisdiction: 'NL' }],
            }),
          response: { 201: commandAnswer({ journeyId: z.uuid(), revision: z.number().int() }) },
        },
        config: { access: { roles: OPENERS } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const principal = request.principal;
          const { personId, jurisdiction, additionalJourneyReason } = request.body;
          // Only those who may see the person may open a journey for them; others are told it does not exist.
          const person = await readState(
            deps.store,
            streams.person(personId),
            personDecider,
            personCodec,
          );
          if (
            person.state.status === 'registered' &&
            person.state.registeredByOrgId !== principal.orgId
          ) {
            const index = await deps.persons.current();
            if (
              !index.persons.get(personId)?.journeyOrgIds.has(principal.orgId) &&
              !principal.roles.includes('data_protection_officer')
            ) {
              throw new DomainError(
                'PERSON_NOT_FOUND',
                'No such person in the registry',
                'precondition',
                'personId',
              );
            }
          }
          // A retry of a request that was interrupted between its two appends gets its journey back.
          const completed = await completeInterrupted(personId, request);
          const own = completed.find(
            (journey) => journey.userId === principal.userId && journey.orgId === principal.orgId,
          );
          if (own) return result(201, { journeyId: own.journeyId, revision: 0 }, 0);

          const journeyId = deps.newId();
          await handleCommand({
            store: deps.store,
            stream: streams.person(personId),
            decider: personDecider,
            codec: personCodec,
            command: {
              type: 'OpenJourneyForPerson',
              journeyId,
              openedByOrgId: principal.orgId,
              jurisdiction,
              additionalJourneyReason,
            },
            context: commandContext(request, deps.now()),
            newEventId: deps.newId,
            seal: (event, eventId) =>
              sealEvent(personFamily, deps.cipher, event, eventId, personId),
          });
          const revision = await openJourneyStream(
            request,
            journeyId,
            personId,
            jurisdiction,
            principal.orgId,
            additionalJourneyReason,
          );
          return result(201, { journeyId, revision }, revision);
        }),
    );
    done();
  };
}
