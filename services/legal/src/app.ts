import type { FastifyInstance } from 'fastify';
import type { LegalDeps } from './deps.js';
import { legalRoutes } from './legal/api.js';
import { statusRoutes } from './read-models/status/status-routes.js';

/**
 * The legal service's routes, registered on an app the service kit built. The app never listens
 * here: main.ts (or the all-in-one process) does.
 */
export async function registerLegal(app: FastifyInstance, deps: LegalDeps): Promise<void> {
  deps.journeys.start();
  app.addHook('onClose', async () => {
    await deps.journeys.stop();
  });
  await app.register(legalRoutes(deps));
  if (deps.readModels) await app.register(statusRoutes(deps, deps.readModels));
}

/** Fields of the legal request bodies that hold personal values: never logged. */
export const LEGAL_REDACT_PATHS = [
  'reference',
  'notes',
  'description',
  'reasons',
  'place',
  'lawyerName',
  'amount',
  'amountClaimed',
  'amountAwarded',
  'amountPaid',
  'overrideReason',
  'explanation',
  'replacement',
  'traffickingAssessment',
];
