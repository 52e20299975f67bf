export { shelterService } from './service.js';
export type { ShelterDeps } from './deps.js';
export { streams as shelterStreams } from './streams.js';
export { demoJourney, ensureDemoShelters, type DemoTime } from './demo.js';
export type { ReadModels as ShelterReadModels } from './read-models/read-models.js';
export {
  shelterOccupancyProjection,
  SHELTER_OCCUPANCY_PROJECTION,
} from './read-models/occupancy/occupancy-projection.js';
export {
  ShelterOccupancyReadModel,
  type ShelterOccupancy,
} from './read-models/occupancy/occupancy-read-model.js';
export { SHELTER_OCCUPANCY_LIST_PATH } from './read-models/occupancy/occupancy-routes.js';
