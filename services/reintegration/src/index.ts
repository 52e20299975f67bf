export { reintegrationService } from './service.js';
export type { ReintegrationDeps, ReintegrationConfig } from './deps.js';
export { journeyFactsView } from '@waypoint/journey-facts';
export { streams as reintegrationStreams } from './streams.js';
export { demoJourney, type DemoUser } from './demo.js';
export type { ReadModels as ReintegrationReadModels } from './read-models/read-models.js';
export {
  reintegrationReviewsProjection,
  REINTEGRATION_REVIEWS_PROJECTION,
} from './read-models/reviews/reviews-projection.js';
export { ReintegrationReviewsReadModel } from './read-models/reviews/reviews-read-model.js';
