export { registerCare, CARE_REDACT_PATHS } from './app.js';
export type { CareDeps, Cipher as CareCipher } from './deps.js';
export { streams as careStreams } from './streams.js';
export { carePlansView, careServicesView } from './care/care-views.js';
export { demoJourney, type DemoUserName } from './demo.js';
export { journeyFactsView } from '@waypoint/journey-facts';
