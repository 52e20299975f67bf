import {
  startDistributedParticipant,
  type DistributedParticipant,
  type LogDestination,
} from '@waypoint/runtime';
import type { ShelterConfig } from './config.js';
import { shelterService } from './service.js';

export { shelterConfigSchema, type ShelterConfig } from './config.js';

/**
 * The shelter service on its own: it decides on the journeys' identification facts (from Kafka,
 * or from a store it shares with the identification service), keeps its occupancy read model
 * from its own events, and relays its events (and, curated, its registry) when Kafka is on.
 */
export async function startDistributedShelter(
  config: ShelterConfig,
  logDestination?: LogDestination,
): Promise<DistributedParticipant> {
  return startDistributedParticipant(shelterService, config, logDestination);
}
