export { registerShelter, SHELTER_REDACT_PATHS } from './app.js';
export type { ShelterDeps, Cipher } from './deps.js';
export {
  shelterRegistryView,
  type ShelterRegistry,
  type ShelterRecord,
} from './registry/shelter-registry.js';
export { occupancyView, type Occupancy } from './registry/occupancy.js';
export { streams as shelterStreams } from './streams.js';
export { demoJourney } from './demo.js';
