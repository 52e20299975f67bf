import type { ServiceDefinition } from '@waypoint/runtime/service';
import { CARE_REDACT_PATHS, registerCare } from './app.js';
import type { CareDeps } from './deps.js';
import { carePlanProgressProjection } from './read-models/progress/progress-projection.js';

/**
 * The care service, as the distributed runtime, the embedded process and the specs build it:
 * consents and visibility from the journeys' identification facts, its progress read model from
 * its own events (its routes are served where the host runs the read models).
 */
export const careService: ServiceDefinition<CareDeps, void, 'care'> = {
  name: 'care',
  redactPaths: CARE_REDACT_PATHS,
  journeyFacts: true,
  projections: { list: [carePlanProgressProjection()], source: 'own-store' },
  deps: (context) => ({
    store: context.store,
    cipher: context.cipher,
    journeys: context.journeys(),
    now: context.now,
    newId: context.newId,
    ...(context.readModels === undefined ? {} : { readModels: context.readModels }),
  }),
  register: registerCare,
};
