import {
  startDistributedParticipant,
  type DistributedParticipant,
  type LogDestination,
} from '@waypoint/runtime';
import { CARE_REDACT_PATHS, registerCare } from './app.js';
import type { CareConfig } from './config.js';
import { carePlanProgressProjection } from './read-models/progress/progress-projection.js';

export { careConfigSchema, type CareConfig } from './config.js';

/**
 * The care service on its own: consents and visibility from the journeys' identification facts
 * (Kafka, or a shared store), its progress read model from its own events, its events relayed.
 */
export async function startDistributedCare(
  config: CareConfig,
  logDestination?: LogDestination,
): Promise<DistributedParticipant> {
  return startDistributedParticipant(
    {
      name: 'care',
      redactPaths: CARE_REDACT_PATHS,
      journeyFacts: true,
      projections: { list: [carePlanProgressProjection()], source: 'own-store' },
      register: (app, context) =>
        registerCare(app, {
          store: context.store,
          cipher: context.cipher,
          journeys: context.journeys(),
          readModels: context.readModels(),
          now: context.now,
          newId: context.newId,
        }),
    },
    config,
    logDestination,
  );
}
