import type { EventStore } from '@waypoint/eventstore';
import type { FactsSource } from './facts/journey-facts-projection.js';
import type { IndicatorSettings } from './indicators/domain/indicators.js';
import type { PrivacyRules } from './indicators/domain/privacy.js';

/** Everything the analytics routes use: passed in, so tests build the app with what they choose. */
export interface AnalyticsDeps {
  /** The per-journey facts rows (the projection's table, or rows in memory). */
  readonly facts: FactsSource;
  /** Where exports are recorded (`analytics-export-<exportId>`). */
  readonly store: EventStore;
  readonly privacy: PrivacyRules;
  readonly settings: IndicatorSettings;
  readonly now: () => Date;
  readonly newId: () => string;
}
