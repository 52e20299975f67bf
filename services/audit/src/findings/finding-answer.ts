import { citationsOf } from '../rules/catalogue.js';
import type { Citation } from '../rules/rule.js';

/**
 * How a finding is answered: with the legal sources its rule version cites, and whether the
 * events it was computed from can be trusted. `unverifiable` when a hash chain of the journey's
 * event streams is broken: the rule may have judged an altered event (or missed a deleted one).
 */
export type FindingIntegrity = 'verified' | 'unverifiable';

export type AnsweredFinding<F> = F & {
  readonly citations: readonly Citation[];
  readonly integrity: FindingIntegrity;
};

export function answerFinding<F extends { readonly ruleId: string; readonly ruleVersion: number }>(
  finding: F,
  integrity: FindingIntegrity,
): AnsweredFinding<F> {
  return { ...finding, citations: citationsOf(finding.ruleId, finding.ruleVersion), integrity };
}
