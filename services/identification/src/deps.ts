import type { Category, EncryptedField } from '@waypoint/contracts';
import type { EventStore, JsonValue } from '@waypoint/eventstore';
import type { Organisation } from './directory/organisation-directory.js';
import type { PersonIndex } from './person/person-index.js';
import type { PathEncrypter } from '@waypoint/privacy';
import type { LiveView } from '@waypoint/eventstore';
import type { ErasureDeps } from './erasure/deps.js';

/** What the identification service needs from the privacy package. */
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

export interface BlindIndexer {
  compute(kind: string, value: string): string;
}

/** Everything the service's routes use: passed in, so tests build the app with what they choose. */
export interface IdentificationDeps {
  readonly store: EventStore;
  readonly cipher: Cipher;
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
