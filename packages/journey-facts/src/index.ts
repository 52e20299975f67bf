export * from './journey-state.js';
export { evolve as evolveJourney, type KeptHistory } from './evolve-journey.js';
export {
  canSeeJourney,
  controlsSharing,
  hasPendingReferralFor,
  NO_GRANTS,
  worksOnJourney,
  type Grants,
  type Viewer,
} from './journey-access.js';
export { journeyFactsView } from './journey-facts-view.js';
export { knownOrganisationsView } from './organisations-view.js';
export { validConsent } from './consent.js';
export { assertWorksOnJourney, journeyReadOnly } from './write-access.js';
export { journeyGate, type JourneyGate } from './journey-gate.js';
export { grantStream, mandateOrgIds } from './mandates.js';
