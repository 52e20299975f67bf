import {
  startDistributedParticipant,
  type DistributedParticipant,
  type LogDestination,
} from '@waypoint/runtime';
import type { JourneyConfig } from './config.js';
import { journeyService } from './service.js';

export { journeyConfigSchema, type JourneyConfig } from './config.js';

/**
 * The journey service on its own: its read model is built from every write service's events, from
 * their Kafka topics when Kafka is on and from the shared store otherwise; its access records go to
 * its own store (and its topic).
 */
export async function startDistributedJourney(
  config: JourneyConfig,
  logDestination?: LogDestination,
): Promise<DistributedParticipant> {
  return startDistributedParticipant(journeyService, config, logDestination);
}
