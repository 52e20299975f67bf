import type { Category, EncryptedField } from '@waypoint/contracts';
import type { EventStore, JsonValue, LiveView } from '@waypoint/eventstore';
import type { OpenJourney } from '@waypoint/journey-facts';
import type { PathEncrypter } from '@waypoint/privacy';
import type { ReadModels } from './read-models/read-models.js';

/** What the reintegration service needs from the privacy package. */
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

/** The service's settings, validated where the process reads its environment. */
export interface ReintegrationConfig {
  /**
   * How many days old the latest return risk assessment may be when an assisted return is decided
   * (CoE 16(2): a return with due regard for safety; the instruments fix no number, the jurisdiction does).
   */
  readonly returnRiskAssessmentMaxAgeDays: number;
}

/** Everything the service's routes use: passed in, so tests build the app with what they choose. */
export interface ReintegrationDeps {
  readonly store: EventStore;
  readonly cipher: Cipher;
  /** Identification facts of every journey: who sees it, whose keys, whether presumed a child. */
  readonly journeys: LiveView<Map<string, OpenJourney>>;
  readonly now: () => Date;
  readonly newId: () => string;
  readonly config: ReintegrationConfig;
  /** The read models (the projection engine): the routes that read them exist only with it. */
  readonly readModels?: ReadModels;
}
