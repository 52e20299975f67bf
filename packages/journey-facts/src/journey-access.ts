import type { OpenJourney } from './journey-state.js';

/** The caller, as far as visibility goes. */
export interface Viewer {
  readonly userId: string;
  readonly orgId: string;
  readonly roles: readonly string[];
}

/** Access granted outside the journey itself: an auditor's mandate, a recorded break-glass. */
export interface Grants {
  /** Organisations whose journeys an auditor's mandate covers now. */
  readonly mandateOrgIds: ReadonlySet<string>;
  /** Journeys this user opened by break-glass, still within its time limit. */
  readonly breakGlassJourneyIds: ReadonlySet<string>;
}

export const NO_GRANTS: Grants = { mandateOrgIds: new Set(), breakGlassJourneyIds: new Set() };

/**
 * Whether a consent still lets a referral stand at `at`: a referral made on a supervisor's
 * override (no consent) stands; one made on a consent stands until the consent is withdrawn or
 * its `validUntil` passes.
 */
function consentHolds(journey: OpenJourney, consentId: string | undefined, at: string): boolean {
  const consent = journey.consents.find((candidate) => candidate.consentId === consentId);
  if (consent === undefined) return consentId === undefined;
  return !consent.withdrawn && (consent.validUntil === undefined || at < consent.validUntil);
}

/**
 * Whether the viewer's own organisation works on the journey at `at` (an ISO instant): the
 * organisation that opened it, or one that accepted a referral, until the referral ends or the
 * sharing consent it relied on is withdrawn or expires. The only access that lets a caller change
 * a journey: grants and the data-protection officer's role let them read it, never write.
 */
export function worksOnJourney(journey: OpenJourney, viewer: Viewer, at: string): boolean {
  if (viewer.orgId === journey.openedByOrgId) return true;
  return journey.referrals.some(
    (referral) =>
      referral.toOrgId === viewer.orgId &&
      referral.status === 'accepted' &&
      consentHolds(journey, referral.consentId, at),
  );
}

/**
 * Who sees a journey at `at` (an ISO instant, the viewer's time: passed in, so this stays pure):
 * the organisations that work on it (see `worksOnJourney`); the data-protection officer; an
 * auditor within a mandate; a recorded break-glass. Everyone else is told it does not exist.
 */
export function canSeeJourney(
  journey: OpenJourney,
  viewer: Viewer,
  grants: Grants,
  at: string,
): boolean {
  if (worksOnJourney(journey, viewer, at)) return true;
  if (viewer.roles.includes('data_protection_officer')) return true;
  if (viewer.roles.includes('auditor') && grants.mandateOrgIds.has(journey.openedByOrgId))
    return true;
  return grants.breakGlassJourneyIds.has(journey.journeyId);
}

/**
 * Who may widen or narrow who sees the journey (record or withdraw a consent, refer it, correct
 * one of those events): the organisation that opened it, and nobody else, whatever they can read.
 */
export function controlsSharing(journey: OpenJourney, viewer: Viewer): boolean {
  return viewer.orgId === journey.openedByOrgId;
}

/** A referred organisation sees a pending referral addressed to it, to answer it. */
export function hasPendingReferralFor(journey: OpenJourney, viewer: Viewer): boolean {
  return journey.referrals.some(
    (referral) => referral.toOrgId === viewer.orgId && referral.status === 'pending',
  );
}
