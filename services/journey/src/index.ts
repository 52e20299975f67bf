export { registerJourney } from './app.js';
export { journeyService } from './service.js';
export { accessStream as journeyAccessStream } from './api.js';
export type { JourneyDeps } from './deps.js';
export { journeyProjection, JOURNEY_PROJECTION } from './journey-projection.js';
export { JourneyReadModel } from './read-model.js';
export {
  DEFAULT_DUE_POLICY,
  dueItems,
  type DuePolicy,
  type DueItem,
} from './summary/domain/due.js';
export { summarise } from './summary/domain/summarise.js';
export type { JourneySummary, Phase } from './summary/domain/summary.js';
export type { TimelineEntry } from './summary/domain/timeline-entry.js';
