import {
  startDistributedParticipant,
  type DistributedParticipant,
  type LogDestination,
} from '@waypoint/runtime';
import { registerReintegration, REINTEGRATION_REDACT_PATHS } from './app.js';
import type { ReintegrationServiceConfig } from './config.js';
import { reintegrationReviewsProjection } from './read-models/reviews/reviews-projection.js';

export { reintegrationConfigSchema, type ReintegrationServiceConfig } from './config.js';

/**
 * The reintegration service on its own: the journeys' identification facts from Kafka (or a
 * shared store), its reviews read model from its own events, its events relayed.
 */
export async function startDistributedReintegration(
  config: ReintegrationServiceConfig,
  logDestination?: LogDestination,
): Promise<DistributedParticipant> {
  return startDistributedParticipant(
    {
      name: 'reintegration',
      redactPaths: REINTEGRATION_REDACT_PATHS,
      journeyFacts: true,
      projections: { list: [reintegrationReviewsProjection()], source: 'own-store' },
      register: (app, context) =>
        registerReintegration(app, {
          store: context.store,
          cipher: context.cipher,
          journeys: context.journeys(),
          config: { returnRiskAssessmentMaxAgeDays: config.RETURN_RISK_ASSESSMENT_MAX_AGE_DAYS },
          readModels: context.readModels(),
          now: context.now,
          newId: context.newId,
        }),
    },
    config,
    logDestination,
  );
}
