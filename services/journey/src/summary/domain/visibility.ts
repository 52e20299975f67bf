import type { JourneySummary } from './summary.js';

/** The caller, as far as seeing a journey goes. */
export interface Viewer {
  readonly orgId: string;
  readonly roles: readonly string[];
}

/**
 * Who sees a journey at `at` (an ISO instant, the caller's time): the data-protection officer;
 * the organisation that opened it; an organisation that accepted a referral, until the referral
 * ends or the sharing consent it relied on is withdrawn or reaches its `validUntil`.
 */
export function seesJourney(summary: JourneySummary, viewer: Viewer, at: string): boolean {
  if (viewer.roles.includes('data_protection_officer')) return true;
  if (summary.openedByOrgId === viewer.orgId) return true;
  return summary.referrals.some(
    (referral) =>
      referral.toOrgId === viewer.orgId &&
      referral.status === 'accepted' &&
      (referral.consentId === null ||
        (!summary.withdrawnConsentIds.includes(referral.consentId) &&
          (referral.consentValidUntil === undefined ||
            referral.consentValidUntil === null ||
            at < referral.consentValidUntil))),
  );
}
