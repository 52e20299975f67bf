import type { AuditEvent } from '@waypoint/contracts';
import { fold } from '@waypoint/decider';
import { deciderSpec } from '@waypoint/decider/spec';
import { describe, expect, it } from 'vitest';
import type { ReviewAction, ReviewedFinding, ReviewFinding } from './commands.js';
import { findingLifecycle } from './finding-lifecycle.js';
import { statusOf } from './state.js';

const spec = deciderSpec(findingLifecycle);
const journeyId = '0197aaaa-0000-7000-8000-0000000000f1';
const flag: ReviewedFinding = {
  findingKey: 'flag-1',
  journeyId,
  ruleId: 'RF-01',
  severity: 'flag',
};
const breach: ReviewedFinding = {
  findingKey: 'breach-1',
  journeyId,
  ruleId: 'RR-02',
  severity: 'breach',
};

const review = (finding: ReviewedFinding, action: ReviewAction, note?: string): ReviewFinding => ({
  type: 'ReviewFinding',
  finding,
  action,
  reasonCode: 'reviewed_justified',
  note,
});

const reviewed = (
  type: AuditEvent['type'],
  finding: ReviewedFinding,
  note?: string,
): AuditEvent => ({
  type,
  data: {
    findingKey: finding.findingKey,
    journeyId,
    ruleId: finding.ruleId,
    reasonCode: 'reviewed_justified',
    ...(note === undefined ? {} : { note }),
  },
});

const statusAfter = (events: readonly AuditEvent[], finding: ReviewedFinding) =>
  statusOf(fold(findingLifecycle, events), finding.findingKey);

describe('reviewing a finding', () => {
  describe('a flag', () => {
    it('can be acknowledged, then dismissed', () => {
      spec
        .given([])
        .when(review(flag, 'acknowledge', 'checked'))
        .then([reviewed('FindingAcknowledged', flag, 'checked')]);
      expect(statusAfter([reviewed('FindingAcknowledged', flag)], flag)).toBe('acknowledged');
      spec
        .given([reviewed('FindingAcknowledged', flag)])
        .when(review(flag, 'dismiss'))
        .then([reviewed('FindingDismissed', flag)]);
    });
    it('once dismissed, cannot be acknowledged, only annotated', () => {
      const dismissed = [reviewed('FindingDismissed', flag)];
      expect(statusAfter(dismissed, flag)).toBe('dismissed');
      const refusal = spec
        .given(dismissed)
        .when(review(flag, 'acknowledge'))
        .thenFails('FINDING_ALREADY_DISMISSED');
      expect(refusal).toMatchObject({
        kind: 'conflict',
        message: 'This flag was already dismissed',
      });
      spec.given(dismissed).when(review(flag, 'dismiss')).thenFails('FINDING_ALREADY_DISMISSED');
      spec
        .given(dismissed)
        .when(review(flag, 'annotate'))
        .then([reviewed('FindingAnnotated', flag)]);
    });
    it("is judged on its own reviews, not another finding's", () => {
      const other = { ...flag, findingKey: 'flag-2' };
      spec
        .given([reviewed('FindingDismissed', other)])
        .when(review(flag, 'acknowledge'))
        .then([reviewed('FindingAcknowledged', flag)]);
    });
  });
  describe('a breach', () => {
    it('cannot be dismissed or acknowledged: the code is its own, not part of the message', () => {
      const dismissal = spec.given([]).when(review(breach, 'dismiss'));
      expect(dismissal.thenFails('BREACH_CANNOT_BE_DISMISSED')).toMatchObject({
        kind: 'conflict',
        message: 'A breach cannot be dismissed or acknowledged away, only annotated',
      });
      spec.given([]).when(review(breach, 'acknowledge')).thenFails('BREACH_CANNOT_BE_ACKNOWLEDGED');
    });
    it('can be annotated, which leaves it open', () => {
      spec
        .given([])
        .when(review(breach, 'annotate'))
        .then([reviewed('FindingAnnotated', breach)]);
      expect(statusAfter([reviewed('FindingAnnotated', breach)], breach)).toBe('open');
    });
  });
});
