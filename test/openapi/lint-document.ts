import { createConfig, lintFromString } from '@redocly/openapi-core';

/**
 * Redocly's `recommended` ruleset, with one rule off: `info-license-strict` wants an SPDX
 * identifier or a licence URL, and Waypoint is proprietary (`UNLICENSED`), which has neither.
 */
export const LINT_RULES = { 'info-license-strict': 'off' } as const;

export interface LintProblem {
  readonly rule: string;
  readonly severity: string;
  readonly message: string;
  readonly at: string | undefined;
}

export async function lintDocument(document: object): Promise<LintProblem[]> {
  const config = await createConfig({ extends: ['recommended'], rules: LINT_RULES });
  const problems = await lintFromString({
    source: JSON.stringify(document),
    absoluteRef: 'openapi.json',
    config,
  });
  return problems.map((problem) => ({
    rule: problem.ruleId,
    severity: problem.severity,
    message: problem.message,
    at: problem.location[0]?.pointer,
  }));
}
