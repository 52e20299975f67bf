import type { Category, EncryptedField } from '@waypoint/contracts';
import type { EventStore, JsonValue, LiveView } from '@waypoint/eventstore';
import type { OpenJourney } from '@waypoint/journey-facts';
import type { PathEncrypter } from '@waypoint/privacy';
import type { ReadModels } from './read-models/read-models.js';
import type { Occupancy } from './placement/occupancy.js';
import type { ShelterRegistry } from './registry/shelter-registry.js';

/** What the shelter service needs from the privacy package. */
export interface Cipher extends PathEncrypter {
  decrypt(
    field: EncryptedField,
    eventId: string,
  ): Promise<{ ok: true; value: JsonValue } | { ok: false; reason: 'erased' }>;
  encrypt(
    subject: string,
    category: Category,
    value: JsonValue,
    aad: { eventId: string; path: string },
  ): Promise<EncryptedField>;
}

/** Everything the service's routes use: passed in, so tests build the app with what they choose. */
export interface ShelterDeps {
  readonly store: EventStore;
  readonly cipher: Cipher;
  /** Identification facts of every journey: who sees it, its consents, presumed child. */
  readonly journeys: LiveView<Map<string, OpenJourney>>;
  readonly shelters: LiveView<ShelterRegistry>;
  readonly occupancy: LiveView<Occupancy>;
  readonly now: () => Date;
  readonly newId: () => string;
  /** The read models (the projection engine): the routes that read them exist only with it. */
  readonly readModels?: ReadModels;
}
