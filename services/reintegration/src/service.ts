import type { ServiceDefinition } from '@waypoint/runtime/service';
import { registerReintegration, REINTEGRATION_REDACT_PATHS } from './app.js';
import type { ReintegrationConfig, ReintegrationDeps } from './deps.js';
import { reintegrationReviewsProjection } from './read-models/reviews/reviews-projection.js';

/**
 * The reintegration service, as the distributed runtime, the embedded process and the specs build
 * it with the jurisdiction's settings: the journeys' identification facts, its reviews read model
 * from its own events (its routes are served where the host runs the read models).
 */
export function reintegrationService(
  config: ReintegrationConfig,
): ServiceDefinition<ReintegrationDeps, void, 'reintegration'> {
  return {
    name: 'reintegration',
    redactPaths: REINTEGRATION_REDACT_PATHS,
    journeyFacts: true,
    projections: { list: [reintegrationReviewsProjection()], source: 'own-store' },
    deps: (context) => ({
      store: context.store,
      cipher: context.cipher,
      journeys: context.journeys(),
      config,
      now: context.now,
      newId: context.newId,
      ...(context.readModels === undefined ? {} : { readModels: context.readModels }),
    }),
    register: registerReintegration,
  };
}
