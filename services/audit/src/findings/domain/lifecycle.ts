import type { Severity } from '../../rules/rule.js';

/**
 * A finding's review state, and what a reviewer may do next. Pure: the caller folds the audit
 * stream into the state and appends the event this decides.
 */
export type ReviewStatus = 'open' | 'acknowledged' | 'dismissed';
export type ReviewAction = 'acknowledge' | 'dismiss' | 'annotate';

export class ReviewRefused extends Error {
  constructor(
    readonly code:
      'BREACH_CANNOT_BE_DISMISSED' | 'BREACH_CANNOT_BE_ACKNOWLEDGED' | 'FINDING_ALREADY_DISMISSED',
    message: string,
  ) {
    super(message);
    this.name = 'ReviewRefused';
  }
}

const EVENT_OF: Record<
  ReviewAction,
  'FindingAcknowledged' | 'FindingDismissed' | 'FindingAnnotated'
> = {
  acknowledge: 'FindingAcknowledged',
  dismiss: 'FindingDismissed',
  annotate: 'FindingAnnotated',
};

export function statusAfter(status: ReviewStatus, eventType: string): ReviewStatus {
  if (eventType === 'FindingDismissed') return 'dismissed';
  if (eventType === 'FindingAcknowledged' && status === 'open') return 'acknowledged';
  return status;
}

/** The event type a review action records, or why it is refused. */
export function decideReview(
  severity: Severity,
  status: ReviewStatus,
  action: ReviewAction,
): 'FindingAcknowledged' | 'FindingDismissed' | 'FindingAnnotated' {
  if (action === 'annotate') return EVENT_OF.annotate;
  if (severity === 'breach')
    throw new ReviewRefused(
      action === 'dismiss' ? 'BREACH_CANNOT_BE_DISMISSED' : 'BREACH_CANNOT_BE_ACKNOWLEDGED',
      'A breach cannot be dismissed or acknowledged away, only annotated',
    );
  if (status === 'dismissed')
    throw new ReviewRefused('FINDING_ALREADY_DISMISSED', 'This flag was already dismissed');
  return EVENT_OF[action];
}
