import type { FastifyInstance } from 'fastify';
import type { ShelterDeps } from './deps.js';
import { placementRoutes } from './placement/api.js';
import { occupancyRoutes } from './read-models/occupancy/occupancy-routes.js';
import { registryRoutes } from './registry/api.js';

/**
 * The shelter service's routes, registered on an app the service kit built. The app never
 * listens here: main.ts (or the all-in-one process) does.
 */
export async function registerShelter(app: FastifyInstance, deps: ShelterDeps): Promise<void> {
  deps.journeys.start();
  deps.shelters.start();
  deps.occupancy.start();
  app.addHook('onClose', async () => {
    await Promise.all([deps.journeys.stop(), deps.shelters.stop(), deps.occupancy.stop()]);
  });
  await app.register(registryRoutes(deps));
  await app.register(placementRoutes(deps));
  if (deps.readModels) await app.register(occupancyRoutes(deps, deps.readModels));
}

/** Paths of personal values that may appear in a request body: never logged. */
export const SHELTER_REDACT_PATHS = [
  'address',
  'restriction',
  'justification',
  'details',
  'notes',
  'description',
  'overrideReason',
  'explanation',
  'replacement',
];
