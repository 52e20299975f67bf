export { registerReintegration, REINTEGRATION_REDACT_PATHS } from './app.js';
export type { ReintegrationDeps, ReintegrationConfig, Cipher } from './deps.js';
export { journeyFactsView } from '@waypoint/journey-facts';
export { streams as reintegrationStreams } from './streams.js';
export { demoJourney, type DemoUser } from './demo.js';
