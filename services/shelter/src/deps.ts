import type { EventStore, LiveView } from '@waypoint/eventstore';
import type { OpenJourney } from '@waypoint/journey-facts';
import type { EventCipher } from '@waypoint/privacy';
import type { ReadModels } from './read-models/read-models.js';
import type { Occupancy } from './placement/occupancy.js';
import type { ShelterRegistry } from './registry/shelter-registry.js';

/** Everything the service's routes use: passed in, so tests build the app with what they choose. */
export interface ShelterDeps {
  readonly store: EventStore;
  readonly cipher: EventCipher;
  /** Identification facts of every journey: who sees it, its consents, presumed child. */
  readonly journeys: LiveView<Map<string, OpenJourney>>;
  readonly shelters: LiveView<ShelterRegistry>;
  readonly occupancy: LiveView<Occupancy>;
  readonly now: () => Date;
  readonly newId: () => string;
  /** The read models (the projection engine): the routes that read them exist only with it. */
  readonly readModels?: ReadModels;
}
