import type { FastifyInstance } from 'fastify';
import { journeyRoutes } from './api.js';
import type { JourneyDeps } from './deps.js';

/**
 * The journey service's routes, registered on an app the service kit built. The app never
 * listens here: main.ts (or the all-in-one process) does.
 */
export async function registerJourney(app: FastifyInstance, deps: JourneyDeps): Promise<void> {
  await app.register(journeyRoutes(deps));
}
