import {
  startDistributedParticipant,
  type DistributedParticipant,
  type LogDestination,
} from '@waypoint/runtime';
import { registerShelter, SHELTER_REDACT_PATHS } from './app.js';
import type { ShelterConfig } from './config.js';
import { shelterOccupancyProjection } from './read-models/occupancy/occupancy-projection.js';
import { occupancyView } from './registry/occupancy.js';
import { shelterRegistryView } from './registry/shelter-registry.js';

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
  return startDistributedParticipant(
    {
      name: 'shelter',
      redactPaths: SHELTER_REDACT_PATHS,
      journeyFacts: true,
      projections: { list: [shelterOccupancyProjection()], source: 'own-store' },
      register: (app, context) =>
        registerShelter(app, {
          store: context.store,
          cipher: context.cipher,
          journeys: context.journeys(),
          shelters: shelterRegistryView(context.store),
          occupancy: occupancyView(context.store),
          readModels: context.readModels(),
          now: context.now,
          newId: context.newId,
        }),
    },
    config,
    logDestination,
  );
}
