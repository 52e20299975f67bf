import type { Role } from '@waypoint/contracts';
import { DomainError } from '@waypoint/decider';
import { canSeeJourney, NO_GRANTS } from '@waypoint/journey-facts';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ShelterDeps } from '../../deps.js';
import type { ReadModels } from '../read-models.js';
import { SHELTER_OCCUPANCY_PROJECTION } from './occupancy-projection.js';
import { ShelterOccupancyReadModel } from './occupancy-read-model.js';

/** Who places people in shelters: those who may admit (see placement/api.ts). */
const PLACERS: readonly Role[] = ['shelter_staff', 'caseworker', 'supervisor'];

/**
 * The list's path. `GET /shelters/occupancy` is taken by the registry's in-memory summary
 * (registry/api.ts); this one adds movements and reads the read model.
 */
export const SHELTER_OCCUPANCY_LIST_PATH = '/shelters/occupancy/summary';

const occupancy = z.object({
  shelterId: z.uuid(),
  name: z.string(),
  operatorOrgId: z.uuid(),
  type: z.string(),
  capacity: z.number().int(),
  occupied: z.number().int(),
  free: z.number().int(),
  closed: z.boolean(),
  admissions: z.number().int(),
  transfersIn: z.number().int(),
  transfersOut: z.number().int(),
  exits: z.number().int(),
  lastChangeAt: z.string(),
});

const notFound = (): DomainError =>
  new DomainError('SHELTER_NOT_FOUND', 'No such shelter', 'not_found');

export function occupancyRoutes(
  deps: ShelterDeps,
  readModels: ReadModels,
): FastifyPluginCallbackZod {
  const readModel = new ShelterOccupancyReadModel(readModels.db, () =>
    readModels.schemaOf(SHELTER_OCCUPANCY_PROJECTION),
  );
  return (app, _options, done) => {
    app.get(
      SHELTER_OCCUPANCY_LIST_PATH,
      {
        schema: {
          summary: 'Occupancy of every shelter, with admissions, transfers and exits',
          description:
            'Per shelter: capacity, places taken and free, and how many admissions, transfers in and out, and exits its placements have had (corrections applied). Counts and dates only.',
          tags: ['shelters'],
          querystring: z.object({
            includeClosed: z
              .enum(['true', 'false'])
              .default('false')
              .transform((value) => value === 'true'),
          }),
          response: { 200: z.object({ shelters: z.array(occupancy) }) },
        },
        config: { access: { roles: PLACERS } },
      },
      async (request) => ({
        shelters: await readModel.shelters({ includeClosed: request.query.includeClosed }),
      }),
    );

    app.get(
      '/shelters/:shelterId/occupancy',
      {
        schema: {
          summary: "A shelter's occupancy, with the placements you may see",
          description:
            'The counts of the shelter, and its open placements (journey, placement, since) for the journeys your organisation sees. Codes and dates only.',
          tags: ['shelters'],
          params: z.object({ shelterId: z.uuid() }),
          response: {
            200: occupancy.extend({
              placements: z.array(
                z.object({ journeyId: z.uuid(), placementId: z.uuid(), since: z.string() }),
              ),
            }),
          },
        },
        config: { access: { roles: PLACERS } },
      },
      async (request) => {
        const { shelterId } = request.params;
        const shelter = await readModel.shelter(shelterId);
        if (!shelter) throw notFound();
        const [residents, journeys] = await Promise.all([
          readModel.residents(shelterId),
          deps.journeys.current(),
        ]);
        const visible = residents.filter((resident) => {
          const journey = journeys.get(resident.journeyId);
          return (
            journey !== undefined &&
            canSeeJourney(journey, request.principal, NO_GRANTS, deps.now().toISOString())
          );
        });
        return { ...shelter, placements: visible };
      },
    );
    done();
  };
}
