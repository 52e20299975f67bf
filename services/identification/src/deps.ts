import type { EventStore } from '@waypoint/eventstore';
import type { Organisation } from './directory/organisation-directory.js';
import type { PersonIndex } from './person/person-index.js';
import type { EventCipher } from '@waypoint/privacy';
import type { LiveView } from '@waypoint/eventstore';
import type { ErasureDeps } from './erasure/deps.js';

export interface BlindIndexer {
  compute(kind: string, value: string): string;
}

/** Everything the service's routes use: passed in, so tests build the app with what they choose. */
export interface IdentificationDeps {
  readonly store: EventStore;
  readonly cipher: EventCipher;
  readonly blindIndex: BlindIndexer;
  readonly directory: LiveView<Map<string, Organisation>>;
  readonly persons: LiveView<PersonIndex>;
  readonly now: () => Date;
  readonly newId: () => string;
  /** How long a break-glass opening lasts. */
  readonly breakGlassMinutes: number;
  /** The erasure workflow, legal holds and the access export; left out, those routes are not served. */
  readonly erasure?: ErasureDeps;
}
