import type { FastifyInstance } from 'fastify';
import { accessRoutes } from './access/api.js';
import type { IdentificationDeps } from './deps.js';
import { directoryRoutes } from './directory/api.js';
import { journeyRoutes } from './journey/api.js';
import { openJourneyRoutes } from './journey/open-api.js';
import { personRoutes } from './person/api.js';
import type { ErasureRuntime } from './erasure/api.js';
import { registerErasure } from './erasure/register.js';

/**
 * The identification service's routes, registered on an app the service kit built, and the
 * erasure workflow's runtime when its deps carry `erasure`. The app never listens here: main.ts
 * (or the all-in-one process) does.
 */
export async function registerIdentification(
  app: FastifyInstance,
  deps: IdentificationDeps,
): Promise<ErasureRuntime | undefined> {
  deps.directory.start();
  deps.persons.start();
  app.addHook('onClose', async () => {
    await Promise.all([deps.directory.stop(), deps.persons.stop()]);
  });
  await app.register(directoryRoutes(deps));
  await app.register(personRoutes(deps));
  await app.register(openJourneyRoutes(deps));
  await app.register(journeyRoutes(deps));
  await app.register(accessRoutes(deps));
  const { erasure } = deps;
  return erasure && registerErasure(app, { ...deps, erasure });
}

/** Paths of personal values that may appear in a request body: never logged. */
export const IDENTIFICATION_REDACT_PATHS = [
  'identity',
  'location',
  'notes',
  'rationale',
  'guardianName',
  'details',
  'overrideReason',
  'additionalJourneyReason',
  'explanation',
  'reason',
  'replacement',
];
