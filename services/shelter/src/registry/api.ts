import {
  countryCode,
  familyCodec,
  readableCategories,
  shelterAddress,
  shelterProfile,
  shelterRegistryEventData,
  shelterRegistryFamily,
  type Role,
} from '@waypoint/contracts';
import { DomainError, handleCommand } from '@waypoint/decider';
import { revealSealed, sealEvent } from '@waypoint/privacy';
import {
  commandAnswer,
  commandContext,
  result,
  runIdempotently,
  send,
  type Principal,
} from '@waypoint/service-kit';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ShelterDeps } from '../deps.js';
import { streams } from '../streams.js';
import { occupiedBy, type Occupancy } from '../placement/occupancy.js';
import { registryDecider, type RegistryCommand } from './domain/registry-decider.js';
import type { ShelterRecord } from './shelter-registry.js';

const codec = familyCodec(shelterRegistryFamily);
const shelterParams = z.object({ shelterId: z.uuid() });
const commandResult = commandAnswer({ shelterId: z.uuid(), revision: z.number().int() });

/** Who changes the registry. */
const REGISTRARS: readonly Role[] = ['admin', 'supervisor'];
/** Who consults it: occupancy and profiles carry no personal data; the address is revealed apart. */
const REGISTRY_READERS: readonly Role[] = [
  'shelter_staff',
  'caseworker',
  'supervisor',
  'admin',
  'reintegration_officer',
  'data_protection_officer',
];

const notFound = (): DomainError =>
  new DomainError('SHELTER_NOT_FOUND', 'No such shelter', 'not_found');

/**
 * Who needs a shelter's address: roles that read location data; for a secure shelter, only the
 * staff of the organisation that runs it (and the data-protection officer).
 */
function mayReadAddress(shelter: ShelterRecord, principal: Principal): boolean {
  if (!readableCategories(principal.roles).has('location')) return false;
  if (!shelter.secure) return true;
  return (
    principal.orgId === shelter.operatorOrgId || principal.roles.includes('data_protection_officer')
  );
}

/** A shelter as the registry answers it: its profile and occupancy (loose: every profile field passes). */
const shelterAnswer = z.looseObject({
  shelterId: z.uuid(),
  name: z.string(),
  capacity: z.number().int(),
  occupied: z.number().int().describe('Open placements'),
  available: z.number().int().describe('Places left'),
});

function summaryOf(shelter: ShelterRecord, occupancy: Occupancy) {
  const { address: _address, ...profile } = shelter;
  const occupied = occupiedBy(occupancy, shelter.shelterId);
  return { ...profile, occupied, available: Math.max(0, shelter.capacity - occupied) };
}

export function registryRoutes(deps: ShelterDeps): FastifyPluginCallbackZod {
  const execute = async (
    request: FastifyRequest,
    shelterId: string,
    command: RegistryCommand,
  ): Promise<number> => {
    const now = deps.now();
    const outcome = await handleCommand({
      store: deps.store,
      stream: streams.shelter(shelterId),
      decider: registryDecider,
      codec,
      command,
      context: commandContext(request, now),
      newEventId: deps.newId,
      // The address is the shelter's, not a person's: the shelter is the key's subject.
      seal: (event, eventId) =>
        sealEvent(shelterRegistryFamily, deps.cipher, event, eventId, shelterId),
    });
    if (outcome.revision === null) throw notFound();
    return outcome.revision;
  };

  /** Only the organisation that runs a shelter changes or closes it. */
  const ownShelter = async (principal: Principal, shelterId: string): Promise<ShelterRecord> => {
    const shelter = (await deps.shelters.current()).get(shelterId);
    if (!shelter) throw notFound();
    if (shelter.operatorOrgId !== principal.orgId)
      throw new DomainError(
        'SHELTER_NOT_YOURS',
        'Only the organisation that runs a shelter changes it',
        'forbidden',
        'shelterId',
      );
    return shelter;
  };

  return (app, _options, done) => {
    app.post(
      '/shelters',
      {
        schema: {
          summary: 'Register a shelter your organisation runs',
          description:
            "A record of the registry. The address is encrypted under the shelter's own key (location).",
          tags: ['shelters'],
          body: shelterProfile.extend({ country: countryCode, address: shelterAddress }),
          response: { 201: commandResult },
        },
        config: { access: { roles: REGISTRARS } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const shelterId = deps.newId();
          const revision = await execute(request, shelterId, {
            type: 'RegisterShelter',
            data: { ...request.body, shelterId, operatorOrgId: request.principal.orgId },
          });
          return result(201, { shelterId, revision }, revision);
        }),
    );

    app.post(
      '/shelters/:shelterId/changes',
      {
        schema: {
          summary: "Change some of a shelter's details",
          description: 'Only the details given change. A child-only shelter cannot be adults-only.',
          tags: ['shelters'],
          params: shelterParams,
          body: shelterProfile.partial().extend({ address: shelterAddress.optional() }),
          response: { 201: commandResult },
        },
        config: { access: { roles: REGISTRARS } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const { shelterId } = request.params;
          await ownShelter(request.principal, shelterId);
          const data = Object.fromEntries(
            Object.entries(request.body).filter(([, value]) => value !== undefined),
          ) as z.infer<typeof shelterRegistryEventData.ShelterUpdated>;
          const revision = await execute(request, shelterId, { type: 'UpdateShelter', data });
          return result(201, { shelterId, revision }, revision);
        }),
    );

    app.post(
      '/shelters/:shelterId/closure',
      {
        schema: {
          summary: 'Close a shelter',
          description: 'Only an empty shelter is closed: transfer or exit its residents first.',
          tags: ['shelters'],
          params: shelterParams,
          body: shelterRegistryEventData.ShelterClosed,
          response: { 201: commandResult },
        },
        config: { access: { roles: REGISTRARS } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const { shelterId } = request.params;
          await ownShelter(request.principal, shelterId);
          const occupancy = await deps.occupancy.current();
          const revision = await execute(request, shelterId, {
            type: 'CloseShelter',
            reasonCode: request.body.reasonCode,
            occupied: occupiedBy(occupancy, shelterId),
          });
          return result(201, { shelterId, revision }, revision);
        }),
    );

    app.get(
      '/shelters',
      {
        schema: {
          summary: 'The shelter registry, with occupancy',
          description: 'Profiles and occupancy; no address (see GET /shelters/{shelterId}).',
          tags: ['shelters'],
          querystring: z.object({
            includeClosed: z
              .enum(['true', 'false'])
              .default('false')
              .transform((value) => value === 'true'),
          }),
          response: { 200: z.object({ shelters: z.array(shelterAnswer) }) },
        },
        config: { access: { roles: REGISTRY_READERS } },
      },
      async (request) => {
        const [registry, occupancy] = await Promise.all([
          deps.shelters.current(),
          deps.occupancy.current(),
        ]);
        return {
          shelters: [...registry.values()]
            .filter((shelter) => request.query.includeClosed || !shelter.closed)
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((shelter) => summaryOf(shelter, occupancy)),
        };
      },
    );

    app.get(
      '/shelters/occupancy',
      {
        schema: {
          summary: 'Occupancy per open shelter',
          description: 'Open placements per shelter, from every journey, with the places left.',
          tags: ['shelters'],
          response: {
            200: z.object({
              shelters: z.array(
                z.object({
                  shelterId: z.uuid(),
                  name: z.string(),
                  capacity: z.number().int(),
                  occupied: z.number().int(),
                  available: z.number().int(),
                }),
              ),
            }),
          },
        },
        config: { access: { roles: REGISTRY_READERS } },
      },
      async () => {
        const [registry, occupancy] = await Promise.all([
          deps.shelters.current(),
          deps.occupancy.current(),
        ]);
        return {
          shelters: [...registry.values()]
            .filter((shelter) => !shelter.closed)
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((shelter) => {
              const { shelterId, name, capacity, occupied, available } = summaryOf(
                shelter,
                occupancy,
              );
              return { shelterId, name, capacity, occupied, available };
            }),
        };
      },
    );

    app.get(
      '/shelters/:shelterId',
      {
        schema: {
          summary: 'A shelter, with its address for those who need it',
          description:
            'The address is decrypted for roles that read location data, and for a secure shelter only for its own staff; others see it restricted. Every read of an address is recorded.',
          tags: ['shelters'],
          params: shelterParams,
          response: {
            200: shelterAnswer.extend({
              address: z
                .unknown()
                .describe('The address, or `{ $hidden, category }` when you may not read it'),
            }),
          },
        },
        config: { access: { roles: REGISTRY_READERS } },
      },
      async (request, reply) => {
        const { shelterId } = request.params;
        const principal = request.principal;
        const [registry, occupancy] = await Promise.all([
          deps.shelters.current(),
          deps.occupancy.current(),
        ]);
        const shelter = registry.get(shelterId);
        if (!shelter) throw notFound();
        const allowed = mayReadAddress(shelter, principal)
          ? new Set(['location'] as const)
          : new Set<never>();
        const revealed = await revealSealed({ address: shelter.address }, deps.cipher, allowed);
        if (revealed.categories.size > 0) {
          const now = deps.now();
          const encoded = shelterRegistryFamily.encode({
            type: 'ShelterAddressRead',
            data: {
              shelterId,
              userId: principal.userId,
              orgId: principal.orgId,
              roles: [...principal.roles],
              route: 'GET /shelters/:shelterId',
            },
          });
          await deps.store.append(streams.addressAccess(shelterId), [
            {
              id: deps.newId(),
              ...encoded,
              metadata: {
                occurredAt: now.toISOString(),
                actor: {
                  userId: principal.userId,
                  role: principal.roles[0] ?? 'unknown',
                  orgId: principal.orgId,
                },
                correlationId: request.id,
                causationId: request.id,
              },
            },
          ]);
        }
        return send(
          reply,
          result(
            200,
            { ...summaryOf(shelter, occupancy), address: revealed.value.address },
            shelter.revision,
          ),
        );
      },
    );
    done();
  };
}
