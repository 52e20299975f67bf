import type { EventStore, LiveView } from '@waypoint/eventstore';
import type { OpenJourney } from '@waypoint/journey-facts';
import type { EventCipher } from '@waypoint/privacy';
import type { ReadModels } from './read-models/read-models.js';

/** Everything the service's routes use: passed in, so tests build the app with what they choose. */
export interface CareDeps {
  readonly store: EventStore;
  readonly cipher: EventCipher;
  /** The identification facts of every journey (visibility, consents): `journeyFactsView(store)`. */
  readonly journeys: LiveView<Map<string, OpenJourney>>;
  readonly now: () => Date;
  readonly newId: () => string;
  /** The read models (the projection engine): the routes that read them exist only with it. */
  readonly readModels?: ReadModels;
}
