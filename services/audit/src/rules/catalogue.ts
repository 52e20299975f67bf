import { ASSISTANCE_RULES } from './assistance-rules.js';
import { IDENTIFICATION_RULES } from './identification-rules.js';
import { LEGAL_RULES } from './legal-rules.js';
import { REFLECTION_RULES } from './reflection-rules.js';
import { RETURN_RULES } from './return-rules.js';
import type { Citation, Rule } from './rule.js';

/**
 * Every version of every rule, in catalogue order. A changed rule is added as a new version with
 * the date it takes effect; the old version stays, so that an audit as of an earlier date judges
 * by the rule in force then.
 */
export const RULE_CATALOGUE: readonly Rule[] = [
  ...IDENTIFICATION_RULES,
  ...ASSISTANCE_RULES,
  ...REFLECTION_RULES,
  ...LEGAL_RULES,
  ...RETURN_RULES,
];

/**
 * Rules of section 3.3 our events cannot check, and why: the catalogue says so rather than
 * pretending.
 */
export const RULES_NOT_CHECKED: readonly { id: string; title: string; why: string }[] = [
  {
    id: 'PV-01',
    title: 'Child identity not disclosed',
    why: 'No export or publication event records what an outbound document contained or to whom it went.',
  },
];

/** The version of each rule in force at `at` (UTC instant or date): the latest that took effect by then. */
export function rulesInForce(at: string, catalogue: readonly Rule[] = RULE_CATALOGUE): Rule[] {
  const byId = new Map<string, Rule>();
  for (const rule of catalogue) {
    if (rule.effectiveFrom > at.slice(0, 10)) continue;
    const current = byId.get(rule.id);
    if (!current || current.version < rule.version) byId.set(rule.id, rule);
  }
  return catalogue.filter((rule) => byId.get(rule.id) === rule);
}

/**
 * The sources a rule version cites, from the catalogue: what a finding answer shows beside the
 * rule id. A version no longer in the catalogue cites nothing rather than another version's text.
 */
export function citationsOf(
  ruleId: string,
  version: number,
  catalogue: readonly Rule[] = RULE_CATALOGUE,
): readonly Citation[] {
  return catalogue.find((rule) => rule.id === ruleId && rule.version === version)?.sources ?? [];
}
