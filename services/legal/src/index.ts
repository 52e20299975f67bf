export { legalService } from './service.js';
export type { LegalDeps } from './deps.js';
export { journeyFactsView } from '@waypoint/journey-facts';
export { legalView, type LegalView } from './legal/legal-view.js';
export { streams as legalStreams } from './streams.js';
export { demoJourney } from './demo.js';
export type { ReadModels as LegalReadModels } from './read-models/read-models.js';
export {
  legalStatusProjection,
  LEGAL_STATUS_PROJECTION,
} from './read-models/status/status-projection.js';
export { LegalStatusReadModel } from './read-models/status/status-read-model.js';
