import {
  startDistributedParticipant,
  type DistributedParticipant,
  type LogDestination,
} from '@waypoint/runtime';
import type { ReintegrationServiceConfig } from './config.js';
import { reintegrationService } from './service.js';

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
    reintegrationService({
      returnRiskAssessmentMaxAgeDays: config.RETURN_RISK_ASSESSMENT_MAX_AGE_DAYS,
    }),
    config,
    logDestination,
  );
}
