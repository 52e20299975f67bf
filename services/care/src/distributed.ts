import {
  startDistributedParticipant,
  type DistributedParticipant,
  type LogDestination,
} from '@waypoint/runtime';
import type { CareConfig } from './config.js';
import { careService } from './service.js';

export { careConfigSchema, type CareConfig } from './config.js';

/**
 * The care service on its own: consents and visibility from the journeys' identification facts
 * (Kafka, or a shared store), its progress read model from its own events, its events relayed.
 */
export async function startDistributedCare(
  config: CareConfig,
  logDestination?: LogDestination,
): Promise<DistributedParticipant> {
  return startDistributedParticipant(careService, config, logDestination);
}
