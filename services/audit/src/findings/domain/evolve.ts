import type { AuditEvent } from '@waypoint/contracts';
import { statusOf, type FindingReviews, type ReviewStatus } from './state.js';

/** A dismissal is final; an acknowledgement moves an open finding on; an annotation changes nothing. */
function statusAfter(status: ReviewStatus, event: AuditEvent): ReviewStatus {
  if (event.type === 'FindingDismissed') return 'dismissed';
  if (event.type === 'FindingAcknowledged' && status === 'open') return 'acknowledged';
  return status;
}

/** Folds one review into the statuses; the map is copied only when a status changes. */
export function evolve(state: FindingReviews, event: AuditEvent): FindingReviews {
  const { findingKey } = event.data;
  const before = statusOf(state, findingKey);
  const after = statusAfter(before, event);
  if (after === before) return state;
  return { statuses: new Map(state.statuses).set(findingKey, after) };
}
