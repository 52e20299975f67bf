import type { EventStore, LiveView } from '@waypoint/eventstore';
import type { OpenJourney } from '@waypoint/journey-facts';
import type { EventCipher } from '@waypoint/privacy';
import type { ReadModels } from './read-models/read-models.js';

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
  readonly cipher: EventCipher;
  /** Identification facts of every journey: who sees it, whose keys, whether presumed a child. */
  readonly journeys: LiveView<Map<string, OpenJourney>>;
  readonly now: () => Date;
  readonly newId: () => string;
  readonly config: ReintegrationConfig;
  /** The read models (the projection engine): the routes that read them exist only with it. */
  readonly readModels?: ReadModels;
}
