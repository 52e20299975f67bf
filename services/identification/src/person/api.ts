import {
  CATEGORIES,
  familyCodec,
  identity,
  pastDay,
  personEventData,
  personFamily,
  readableCategories,
  type Role,
} from '@waypoint/contracts';
import { DomainError, handleCommand } from '@waypoint/decider';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { IdentificationDeps } from '../deps.js';
import {
  commandAnswer,
  commandContext,
  result,
  runIdempotently,
  send,
} from '@waypoint/service-kit';
import { streams } from '../streams.js';
import { personDecider } from './domain/person-decider.js';
import { revealSealed, sealEvent } from '@waypoint/privacy';
import { accessRecordOf, recordAccess, type Principal } from '@waypoint/service-kit';

const codec = familyCodec(personFamily);
const REGISTRARS: readonly Role[] = ['caseworker', 'supervisor'];
const READERS: readonly Role[] = [
  'caseworker',
  'supervisor',
  'shelter_staff',
  'care_provider',
  'legal_advisor',
  'reintegration_officer',
  'data_protection_officer',
];

const registration = personEventData.PersonRegistered.omit({
  personId: true,
  identity: true,
  blindIndexes: true,
  registeredByOrgId: true,
})
  .extend({
    identity,
    /** Register although a person with the same name (and birth date) is already registered. */
    confirmNotDuplicate: z
      .boolean()
      .default(false)
      .describe('Register although a person with the same name (and birth date) is registered'),
  })
  .meta({
    examples: [
      {
        gender: 'Feminine',
        ageBand: '24-26',
        child: 'no',
        citizenship: ['NG'],
        languages: ['en', 'yo'],
        identity: { givenName: 'Ada', familyName: 'Example', birthDate: '1999-04-01' },
      },
    ],
  });

/** Blind indexes of a registration: name alone, and name with birth date when known. */
export function blindIndexesOf(
  deps: IdentificationDeps,
  person: z.infer<typeof identity>,
): { name: string; nameAndBirthDate?: string } {
  const name = `${person.givenName} ${person.familyName}`;
  return {
    name: deps.blindIndex.compute('name', name),
    ...(person.birthDate === undefined
      ? {}
      : {
          nameAndBirthDate: deps.blindIndex.compute(
            'name-birth-date',
            `${name}|${person.birthDate}`,
          ),
        }),
  };
}

/** A person is visible to the organisation that registered them, to any that opened a journey for them, and to the DPO. */
function canSeePerson(
  entry: { registeredByOrgId: string; journeyOrgIds: Set<string> } | undefined,
  principal: Principal,
): boolean {
  if (!entry) return false;
  return (
    principal.roles.includes('data_protection_officer') ||
    entry.registeredByOrgId === principal.orgId ||
    entry.journeyOrgIds.has(principal.orgId)
  );
}

export function personRoutes(deps: IdentificationDeps): FastifyPluginCallbackZod {
  return (app, _options, done) => {
    app.post(
      '/persons',
      {
        schema: {
          summary: 'Register a person',
          description:
            "Identity is encrypted under the person's identity key; coarse codes stay in clear. A likely duplicate (same name, or name and birth date, by blind index) is refused unless confirmNotDuplicate is set.",
          tags: ['persons'],
          body: registration,
          response: { 201: commandAnswer({ personId: z.uuid(), revision: z.number().int() }) },
        },
        config: { access: { roles: REGISTRARS } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const principal = request.principal;
          const { identity: person, confirmNotDuplicate, ...codes } = request.body;
          const blindIndexes = blindIndexesOf(deps, person);
          if (!confirmNotDuplicate) {
            const index = await deps.persons.current();
            const probe = blindIndexes.nameAndBirthDate ?? blindIndexes.name;
            // Only persons the caller may see count: the check must not tell anyone else that a name is registered.
            const visible = [...(index.byBlindIndex.get(probe) ?? [])].filter((id) =>
              canSeePerson(index.persons.get(id), principal),
            );
            if (visible.length > 0) {
              throw new DomainError(
                'PERSON_POSSIBLY_REGISTERED',
                'A person with this name is already registered; search for them, or confirm this is someone else',
                'conflict',
                'identity',
              );
            }
          }
          const personId = deps.newId();
          const now = deps.now();
          const registered = await handleCommand({
            store: deps.store,
            stream: streams.person(personId),
            decider: personDecider,
            codec,
            command: {
              type: 'RegisterPerson',
              data: {
                personId,
                identity: person,
                blindIndexes,
                registeredByOrgId: principal.orgId,
                ...codes,
              },
            },
            context: commandContext(request, now),
            newEventId: deps.newId,
            seal: (event, eventId) =>
              sealEvent(personFamily, deps.cipher, event, eventId, personId),
          });
          return result(
            201,
            { personId, revision: registered.revision ?? 0 },
            registered.revision ?? 0,
          );
        }),
    );

    app.get(
      '/persons',
      {
        schema: {
          summary: 'Find registered persons by name (and birth date)',
          description:
            'Exact match on normalised values through blind indexes: no name is searched in clear. Only persons you may see are listed.',
          tags: ['persons'],
          querystring: z.object({
            givenName: z.string().trim().min(1).max(200),
            familyName: z.string().trim().min(1).max(200),
            birthDate: pastDay.optional(),
          }),
          response: { 200: z.object({ personIds: z.array(z.uuid()) }) },
        },
        config: { access: { roles: REGISTRARS } },
      },
      async (request) => {
        const principal = request.principal;
        const { birthDate, ...name } = request.query;
        const indexes = blindIndexesOf(deps, {
          ...name,
          ...(birthDate === undefined ? {} : { birthDate }),
        });
        const index = await deps.persons.current();
        const found =
          index.byBlindIndex.get(indexes.nameAndBirthDate ?? indexes.name) ?? new Set<string>();
        return {
          personIds: [...found]
            .filter((personId) => canSeePerson(index.persons.get(personId), principal))
            .sort(),
        };
      },
    );

    app.get(
      '/persons/:personId',
      {
        schema: {
          summary: 'A registered person',
          description:
            'Identity is decrypted only for roles allowed the identity category; every read is recorded.',
          tags: ['persons'],
          params: z.object({ personId: z.uuid() }),
          response: {
            200: z
              .looseObject({
                journeyIds: z
                  .array(z.uuid())
                  .describe("The person's journeys opened by your organisation (all for the DPO)"),
                identity: z
                  .unknown()
                  .optional()
                  .describe(
                    'Name, birth date, documents: `{ $hidden, category }` when your role may not read identity',
                  ),
              })
              .describe('The registered person: codes, and identity when your role may read it'),
          },
        },
        config: { access: { roles: READERS } },
      },
      async (request, reply) => {
        const { personId } = request.params;
        const principal = request.principal;
        const index = await deps.persons.current();
        if (!canSeePerson(index.persons.get(personId), principal))
          throw new DomainError('PERSON_NOT_FOUND', 'No such person', 'not_found');
        const events = [];
        for await (const event of deps.store.readStream(streams.person(personId)))
          events.push(event);
        const registered = events.find((event) => event.type === 'PersonRegistered');
        if (!registered) throw new DomainError('PERSON_NOT_FOUND', 'No such person', 'not_found');
        const data = personEventData.PersonRegistered.parse(registered.data);
        const { blindIndexes: _indexes, identity: sealedIdentity, ...codes } = data;
        const view = {
          ...codes,
          identity:
            typeof sealedIdentity === 'object' && '$enc' in sealedIdentity
              ? { $sealed: true as const, eventId: registered.id, field: sealedIdentity }
              : undefined,
          // Only the journeys of the reader's own organisation (all of them for the DPO).
          journeyIds: events.flatMap((recorded) => {
            const event = personFamily.decode(recorded);
            if (event.type !== 'PersonJourneyOpened') return [];
            const own =
              event.data.openedByOrgId === principal.orgId ||
              principal.roles.includes('data_protection_officer');
            return own ? [event.data.journeyId] : [];
          }),
        };
        const revealed = await revealSealed(view, deps.cipher, readableCategories(principal.roles));
        await recordAccess(
          deps.store,
          streams.personAccess(personId),
          accessRecordOf(
            request,
            { kind: 'person', id: personId },
            [...revealed.categories].filter((category) => CATEGORIES.includes(category)),
            'GET /persons/:personId',
          ),
          deps.newId,
          deps.now(),
        );
        return send(reply, result(200, revealed.value, events[events.length - 1]?.revision ?? 0));
      },
    );
    done();
  };
}
