import {
  startDistributedParticipant,
  type DistributedParticipant,
  type LogDestination,
} from '@waypoint/runtime';
import type { LegalConfig } from './config.js';
import { legalService } from './service.js';

export { legalConfigSchema, type LegalConfig } from './config.js';

/**
 * The legal service on its own: visibility and the person's id from the journeys' identification
 * facts (Kafka, or a shared store), its status read model from its own events, its events relayed.
 */
export async function startDistributedLegal(
  config: LegalConfig,
  logDestination?: LogDestination,
): Promise<DistributedParticipant> {
  return startDistributedParticipant(legalService, config, logDestination);
}
