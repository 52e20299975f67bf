import type { ProjectionEngine } from '@waypoint/projections';
import { readModelsOf, type ServiceDefinition } from '@waypoint/runtime/service';
import { registerAnalytics } from './app.js';
import type { AnalyticsDeps } from './deps.js';
import {
  journeyFactsProjection,
  sqlFactsSource,
  type FactsSource,
} from './facts/journey-facts-projection.js';
import type { IndicatorSettings } from './indicators/domain/indicators.js';
import type { PrivacyRules } from './indicators/domain/privacy.js';

/** The analytics service's settings: its thresholds, and where its facts rows are read. */
export interface AnalyticsSettings {
  readonly privacy: PrivacyRules;
  readonly indicators: IndicatorSettings;
  /** Facts rows held elsewhere than its read model's table (in memory: the specs). */
  readonly facts?: FactsSource;
}

/** The facts rows of the read model's table (its active generation). */
function factsTable(engine: ProjectionEngine): FactsSource {
  return sqlFactsSource(engine.db, () => engine.schemaOf(journeyFactsProjection.name));
}

/**
 * The analytics service, as the distributed runtime, the embedded process and the specs build it:
 * the per-journey facts table is built from every write service's events; exports go to its store.
 */
export function analyticsService(
  settings: AnalyticsSettings,
): ServiceDefinition<AnalyticsDeps, void, 'analytics'> {
  return {
    name: 'analytics',
    projections: { list: [journeyFactsProjection], source: 'services' },
    deps: (context) => ({
      facts: settings.facts ?? factsTable(readModelsOf(context, 'analytics')),
      store: context.store,
      privacy: settings.privacy,
      settings: settings.indicators,
      now: context.now,
      newId: context.newId,
    }),
    register: registerAnalytics,
  };
}
