import type { AuditEvent } from '@waypoint/contracts';
import { DomainError } from '@waypoint/decider';
import type { FindingCommand, ReviewAction } from './commands.js';
import { statusOf, type FindingReviews } from './state.js';

const EVENT_OF: Record<ReviewAction, AuditEvent['type']> = {
  acknowledge: 'FindingAcknowledged',
  dismiss: 'FindingDismissed',
  annotate: 'FindingAnnotated',
};

/**
 * A breach is a breach whatever a reviewer thinks of it: it can only be annotated. A flag can be
 * acknowledged and dismissed, but once dismissed it stays so (annotations are still welcome).
 */
export function decide(command: FindingCommand, state: FindingReviews): AuditEvent[] {
  const { finding, action, reasonCode, note } = command;
  if (action !== 'annotate') {
    if (finding.severity === 'breach')
      throw new DomainError(
        action === 'dismiss' ? 'BREACH_CANNOT_BE_DISMISSED' : 'BREACH_CANNOT_BE_ACKNOWLEDGED',
        'A breach cannot be dismissed or acknowledged away, only annotated',
        'conflict',
      );
    if (statusOf(state, finding.findingKey) === 'dismissed')
      throw new DomainError(
        'FINDING_ALREADY_DISMISSED',
        'This flag was already dismissed',
        'conflict',
      );
  }
  return [
    {
      type: EVENT_OF[action],
      data: {
        findingKey: finding.findingKey,
        journeyId: finding.journeyId,
        ruleId: finding.ruleId,
        reasonCode,
        ...(note === undefined ? {} : { note }),
      },
    },
  ];
}
