import type { EncryptedField } from '@waypoint/contracts';
import type { EventStore } from '@waypoint/eventstore';
import type { DecryptResult } from '@waypoint/privacy';
import type { JourneyReadModel } from './read-model.js';
import type { DuePolicy } from './summary/domain/due.js';

export interface Decrypter {
  decrypt(field: EncryptedField, eventId: string): Promise<DecryptResult>;
}

/** Everything the journey service's routes use: passed in, so tests build it with what they choose. */
export interface JourneyDeps {
  /** Where the service appends its own access records (`access-journey-<journeyId>`). */
  readonly store: EventStore;
  readonly cipher: Decrypter;
  readonly readModel: JourneyReadModel;
  readonly policy: DuePolicy;
  readonly now: () => Date;
  readonly newId: () => string;
}
