export * from './journey-state.js';
export { evolve as evolveJourney } from './evolve-journey.js';
export {
  canSeeJourney,
  hasPendingReferralFor,
  NO_GRANTS,
  type Grants,
  type Viewer,
} from './journey-access.js';
export { journeyFactsView } from './journey-facts-view.js';
export { validConsent } from './consent.js';
