import type { ServiceDefinition } from '@waypoint/runtime/service';
import { registerShelter, SHELTER_REDACT_PATHS } from './app.js';
import type { ShelterDeps } from './deps.js';
import { shelterOccupancyProjection } from './read-models/occupancy/occupancy-projection.js';
import { occupancyView } from './placement/occupancy.js';
import { shelterRegistryView } from './registry/shelter-registry.js';

/**
 * The shelter service, as the distributed runtime, the embedded process and the specs build it:
 * it decides on the journeys' identification facts and its own registry and occupancy, and keeps
 * its occupancy read model from its own events (served where the host runs the read models).
 */
export const shelterService: ServiceDefinition<ShelterDeps, void, 'shelter'> = {
  name: 'shelter',
  redactPaths: SHELTER_REDACT_PATHS,
  journeyFacts: true,
  projections: { list: [shelterOccupancyProjection()], source: 'own-store' },
  deps: (context) => ({
    store: context.store,
    cipher: context.cipher,
    journeys: context.journeys(),
    shelters: shelterRegistryView(context.store),
    occupancy: occupancyView(context.store),
    now: context.now,
    newId: context.newId,
    ...(context.readModels === undefined ? {} : { readModels: context.readModels }),
  }),
  register: registerShelter,
};
