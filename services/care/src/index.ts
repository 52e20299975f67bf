export { careService } from './service.js';
export type { CareDeps } from './deps.js';
export { streams as careStreams } from './streams.js';
export { carePlansView, careServicesView } from './care/care-views.js';
export { demoJourney, type DemoUserName } from './demo.js';
export { journeyFactsView } from '@waypoint/journey-facts';
export type { ReadModels as CareReadModels } from './read-models/read-models.js';
export {
  carePlanProgressProjection,
  CARE_PLAN_PROGRESS_PROJECTION,
} from './read-models/progress/progress-projection.js';
export {
  CareProgressReadModel,
  type JourneyCareProgress,
} from './read-models/progress/progress-read-model.js';
