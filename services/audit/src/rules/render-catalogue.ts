import { RULE_CATALOGUE, RULES_NOT_CHECKED } from './catalogue.js';
import { DEFAULT_LIMITS } from './jurisdiction-profile.js';
import type { Rule } from './rule.js';

/**
 * How the rules' application changed, newest first. Corrections of how a version applied the same
 * law keep the version number: findings are recomputed from the events, so nothing stale survives.
 */
export const RULE_CHANGES: readonly { readonly date: string; readonly change: string }[] = [
  {
    date: '2026-12-03',
    change:
      '**Forced removals are returns** (RT-01, RT-03, RT-04, RT-05, RT-06): a `RemovalEnforced` of kind `return` or `expulsion` recorded by the legal service is judged by every return rule, like a reintegration `ReturnExecuted`; a `dublin_transfer` is not a return. RT-04 weighs a removal against the latest return decision on record. A return recorded both ways is judged twice (the events do not link them).',
  },
  {
    date: '2026-12-03',
    change:
      '**RR-01** counts the end day of a reflection period, as RR-02 reads it: 2025-03-04 to 2025-04-02 is 30 days and meets the minimum (it was flagged).',
  },
  {
    date: '2026-12-03',
    change:
      '**NRM-01** applies to journeys whose indicators (or positive reasonable grounds) occurred on or after its effective date; it compared the effective date with the audit date and judged journeys identified before the law applied.',
  },
  {
    date: '2026-12-03',
    change:
      '**RT-01** accepts only a risk assessment of scope `return` as dating a return (as the assisted-return guard requires); a high rating in the latest assessment of any scope is still a breach.',
  },
  {
    date: '2026-12-03',
    change:
      "**NP-01**: a prosecution decision's `traffickingAssessment` must cite something (a case `reference`, or a reasonable- or conclusive-grounds decision of the journey); an empty assessment no longer satisfies it.",
  },
  {
    date: '2026-12-03',
    change:
      "**A child in the registry is a child**: `PersonRegistered.child = 'yes'` makes the person a presumed child for the shelter, reintegration and journey services (child-only and adults-only shelters, the assisted-return child guards, the guardian due item) and for the rules that read the journey facts, unless the journey's own age facts decide otherwise.",
  },
  {
    date: '2026-12-03',
    change:
      "**Findings answers** carry each rule version's `citations` and an `integrity` mark (`unverifiable` when a stream the finding depends on has a broken hash chain). Care now refuses ending assistance for `non_cooperation` or `declined_to_testify` without a supervisor's override, as the shelter service does; AS-02 still flags every such end.",
  },
];

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
    "Each rule is a pure function over one journey's effective events (corrections applied), sorted by occurrence time then event id. **breach**: a hard rule was broken; **flag**: for human review. Time limits come from the jurisdiction profile in force on the audit date (defaults below); only the 30-day reflection minimum is fixed in law. Day limits are counted in the jurisdiction's time zone and end at local midnight. A finding carries the rule id and version, the severity, when the breach occurred, the evidence event ids and a reason code; never personal data. Every findings answer (journey and organisation findings, the findings read model, the decision log, reports) adds the rule version's sources as `citations`, and `integrity`: `unverifiable` when a hash chain of the journey's event streams (its service streams, its person's registry stream, its audit stream) is broken, since the finding may rest on altered events.",
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
  lines.push('', '## Changes', '');
  for (const { date, change } of RULE_CHANGES) lines.push(`- ${date}: ${change}`);
  lines.push('', '## Default limits', '', '| key | default |', '| --- | --- |');
  for (const [key, value] of Object.entries(DEFAULT_LIMITS))
    lines.push(`| \`${key}\` | ${Array.isArray(value) ? value.join(', ') : String(value)} |`);
  lines.push('');
  return lines.join('\n');
}
