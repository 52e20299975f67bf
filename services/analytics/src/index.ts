export { analyticsService, type AnalyticsSettings } from './service.js';
export type { AnalyticsDeps } from './deps.js';
export {
  analyticsConfigSchema,
  indicatorSettingsOf,
  privacyRulesOf,
  type AnalyticsConfig,
} from './config.js';
export {
  journeyFactsProjection,
  memoryFactsSource,
  sqlFactsSource,
  type FactsSource,
} from './facts/journey-facts-projection.js';
export { foldJourney } from './facts/domain/fold-journey.js';
export type { JourneyFacts } from './facts/domain/journey-facts.js';
export { DEFAULT_PRIVACY, type PrivacyRules } from './indicators/domain/privacy.js';
export { DEFAULT_SETTINGS, type IndicatorSettings } from './indicators/domain/indicators.js';
export { analyticsFamily } from './exports/domain/export-events.js';
export { streams as analyticsStreams } from './streams.js';
