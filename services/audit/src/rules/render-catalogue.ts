import { RULE_CATALOGUE, RULES_NOT_CHECKED } from './catalogue.js';
import { DEFAULT_LIMITS } from './jurisdiction-profile.js';
import type { Rule } from './rule.js';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * The rule catalogue in Markdown, generated from the rule definitions: docs/rules.md is this text,
 * and a spec fails when the committed copy is stale.
 */
export function renderRuleCatalogue(rules: readonly Rule[] = RULE_CATALOGUE): string {
  const lines = [
    '# Audit rule catalogue',
    '',
    '<!-- Generated from services/audit/src/rules by `npx tsx services/audit/src/tools/generate-rules-doc.ts`; do not edit by hand. -->',
    '',
    "Each rule is a pure function over one journey's effective events (corrections applied), sorted by occurrence time then event id. **breach**: a hard rule was broken; **flag**: for human review. Time limits come from the jurisdiction profile in force on the audit date (defaults below); only the 30-day reflection minimum is fixed in law. Day limits are counted in the jurisdiction's time zone and end at local midnight. A finding carries the rule id and version, the severity, when the breach occurred, the evidence event ids and a reason code; never personal data.",
    '',
    '| id | version | in force from | title | source | severity | limit | evidence |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const rule of rules) {
    const sources = rule.sources
      .map((source) => `${source.instrument} ${source.article}`)
      .join('; ');
    lines.push(
      `| ${rule.id} | ${String(rule.version)} | ${rule.effectiveFrom} | ${cell(rule.title)} | ${cell(sources)} | ${rule.severities.join(', ')} | ${cell(rule.limit)} | ${cell(rule.evidence)} |`,
    );
  }
  lines.push('', '## What each rule checks', '');
  for (const rule of rules) lines.push(`- **${rule.id} v${String(rule.version)}**: ${rule.checks}`);
  lines.push('', '## Not checked', '');
  for (const rule of RULES_NOT_CHECKED) lines.push(`- **${rule.id}** ${rule.title}: ${rule.why}`);
  lines.push('', '## Default limits', '', '| key | default |', '| --- | --- |');
  for (const [key, value] of Object.entries(DEFAULT_LIMITS))
    lines.push(`| \`${key}\` | ${Array.isArray(value) ? value.join(', ') : String(value)} |`);
  lines.push('');
  return lines.join('\n');
}
