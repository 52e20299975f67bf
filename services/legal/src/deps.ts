import type { LiveView } from '@waypoint/eventstore';
import type { EventStore } from '@waypoint/eventstore';
import type { OpenJourney } from '@waypoint/journey-facts';
import type { EventCipher } from '@waypoint/privacy';
import type { ReadModels } from './read-models/read-models.js';

/** Everything the service's routes use: passed in, so tests build the app with what they choose. */
export interface LegalDeps {
  readonly store: EventStore;
  readonly cipher: EventCipher;
  /** Every journey's identification facts (visibility, consents, the person's id). */
  readonly journeys: LiveView<Map<string, OpenJourney>>;
  readonly now: () => Date;
  readonly newId: () => string;
  /** The read models (the projection engine): the routes that read them exist only with it. */
  readonly readModels?: ReadModels;
}
