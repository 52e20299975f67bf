import type { ServiceDefinition } from '@waypoint/runtime/service';
import { LEGAL_REDACT_PATHS, registerLegal } from './app.js';
import type { LegalDeps } from './deps.js';
import { legalStatusProjection } from './read-models/status/status-projection.js';

/**
 * The legal service, as the distributed runtime, the embedded process and the specs build it:
 * visibility and the person's id from the journeys' identification facts, its status read model
 * from its own events (its routes are served where the host runs the read models).
 */
export const legalService: ServiceDefinition<LegalDeps, void, 'legal'> = {
  name: 'legal',
  redactPaths: LEGAL_REDACT_PATHS,
  journeyFacts: true,
  projections: { list: [legalStatusProjection()], source: 'own-store' },
  deps: (context) => ({
    store: context.store,
    cipher: context.cipher,
    journeys: context.journeys(),
    now: context.now,
    newId: context.newId,
    ...(context.readModels === undefined ? {} : { readModels: context.readModels }),
  }),
  register: registerLegal,
};
