import { addDays, hourDeadline, utcDate } from '@waypoint/contracts';
import type { JourneySummary } from './summary.js';

/** Limits the journey service uses to say what is due; the audit judges breaches on its own. */
export interface DuePolicy {
  /** Hours after a child is presumed by which a guardian should be appointed. */
  readonly guardianWithinHours: number;
  /** Days before a consent's end at which its renewal shows as due. */
  readonly consentRenewalNoticeDays: number;
}

export const DEFAULT_DUE_POLICY: DuePolicy = {
  guardianWithinHours: 24,
  consentRenewalNoticeDays: 14,
};

export type DueKind =
  | 'consent-missing'
  | 'consent-expires'
  | 'guardian-not-appointed'
  | 'reflection-period-ends'
  | 'reintegration-review';

export interface DueItem {
  readonly kind: DueKind;
  /** The day (YYYY-MM-DD, UTC) by which it is due. */
  readonly dueOn: string;
}

/** What the journey needs next, earliest first. Nothing is due on a closed journey. */
export function dueItems(summary: JourneySummary, policy: DuePolicy): DueItem[] {
  if (summary.closed) return [];
  const items: DueItem[] = [];
  const services = summary.consents['services'];
  if (!services && summary.openedAt)
    items.push({ kind: 'consent-missing', dueOn: utcDate(summary.openedAt) });
  if (services?.validUntil)
    items.push({
      kind: 'consent-expires',
      dueOn: addDays(utcDate(services.validUntil), -policy.consentRenewalNoticeDays),
    });
  if (summary.child.presumed && summary.child.since && !summary.child.guardianAppointedAt)
    items.push({
      kind: 'guardian-not-appointed',
      // Hours, not days: an absolute limit, whatever the zone.
      dueOn: utcDate(hourDeadline(summary.child.since, policy.guardianWithinHours)),
    });
  const period = summary.reflectionPeriod;
  if (period && !period.endedAt) items.push({ kind: 'reflection-period-ends', dueOn: period.end });
  if (summary.nextReviewDue)
    items.push({ kind: 'reintegration-review', dueOn: summary.nextReviewDue });
  return items.sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : 0));
}
