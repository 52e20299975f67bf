import type { FINDING_REASON_CODES } from '@waypoint/contracts';
import type { Severity } from '../../rules/rule.js';

export type ReviewAction = 'acknowledge' | 'dismiss' | 'annotate';

/**
 * The finding as the current audit of the journey judges it. The audit is computed from the
 * service streams, not from the audit stream this decider folds, so the route looks it up and
 * passes it in.
 */
export interface ReviewedFinding {
  readonly findingKey: string;
  readonly journeyId: string;
  readonly ruleId: string;
  readonly severity: Severity;
}

/** A reviewer acknowledges or dismisses a flag, or annotates any finding, with a reason. */
export interface ReviewFinding {
  readonly type: 'ReviewFinding';
  readonly finding: ReviewedFinding;
  readonly action: ReviewAction;
  readonly reasonCode: (typeof FINDING_REASON_CODES)[number];
  /** Free text, sealed before it is stored. */
  readonly note?: string | undefined;
}

export type FindingCommand = ReviewFinding;
