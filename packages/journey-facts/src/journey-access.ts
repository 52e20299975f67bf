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
 * Who sees a journey: the organisation that opened it; an organisation that accepted a referral,
 * until the referral ends or the sharing consent it relied on is withdrawn; the data-protection
 * officer; an auditor within a mandate; a recorded break-glass. Everyone else is told it does not exist.
 */
export function canSeeJourney(journey: OpenJourney, viewer: Viewer, grants: Grants): boolean {
  if (viewer.orgId === journey.openedByOrgId) return true;
  if (viewer.roles.includes('data_protection_officer')) return true;
  if (viewer.roles.includes('auditor') && grants.mandateOrgIds.has(journey.openedByOrgId))
    return true;
  if (grants.breakGlassJourneyIds.has(journey.journeyId)) return true;
  return journey.referrals.some((referral) => {
    if (referral.toOrgId !== viewer.orgId || referral.status !== 'accepted') return false;
    const consent = journey.consents.find(
      (candidate) => candidate.consentId === referral.consentId,
    );
    return consent === undefined ? referral.consentId === undefined : !consent.withdrawn;
  });
}

/** A referred organisation sees a pending referral addressed to it, to answer it. */
export function hasPendingReferralFor(journey: OpenJourney, viewer: Viewer): boolean {
  return journey.referrals.some(
    (referral) => referral.toOrgId === viewer.orgId && referral.status === 'pending',
  );
}
