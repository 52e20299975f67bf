import type { FastifyInstance } from 'fastify';
import { careRoutes } from './care/api.js';
import type { CareDeps } from './deps.js';
import { progressRoutes } from './read-models/progress/progress-routes.js';

/**
 * The care service's routes, registered on an app the service kit built. The app never listens
 * here: main.ts (or the all-in-one process) does.
 */
export async function registerCare(app: FastifyInstance, deps: CareDeps): Promise<void> {
  deps.journeys.start();
  app.addHook('onClose', async () => {
    await deps.journeys.stop();
  });
  await app.register(careRoutes(deps));
  if (deps.readModels) await app.register(progressRoutes(deps, deps.readModels));
}

/** Paths of personal values that may appear in a request body: never logged. */
export const CARE_REDACT_PATHS = [
  'summary',
  'description',
  'note',
  'notes',
  'clinicalDetails',
  'explanation',
  'overrideReason',
  'replacement',
];
