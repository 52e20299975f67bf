import type { FastifyInstance } from 'fastify';
import type { ReintegrationDeps } from './deps.js';
import { reintegrationRoutes } from './journey/api.js';
import { reviewsRoutes } from './read-models/reviews/reviews-routes.js';

/**
 * The reintegration service's routes, registered on an app the service kit built. The app never
 * listens here: main.ts (or the all-in-one process) does.
 */
export async function registerReintegration(
  app: FastifyInstance,
  deps: ReintegrationDeps,
): Promise<void> {
  deps.journeys.start();
  app.addHook('onClose', async () => {
    await deps.journeys.stop();
  });
  await app.register(reintegrationRoutes(deps));
  if (deps.readModels) await app.register(reviewsRoutes(deps, deps.readModels));
}

/** Paths of personal values that may appear in a request body: never logged. */
export const REINTEGRATION_REDACT_PATHS = [
  'narrative',
  'rationale',
  'views',
  'address',
  'receptionAddress',
  'goals',
  'notes',
  'details',
  'explanation',
  'overrideReason',
  'replacement',
];
