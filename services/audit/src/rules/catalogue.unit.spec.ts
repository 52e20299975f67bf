import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RULE_CATALOGUE, rulesInForce } from './catalogue.js';
import { DEFAULT_LIMITS } from './jurisdiction-profile.js';
import { renderRuleCatalogue } from './render-catalogue.js';

describe('the rule catalogue', () => {
  it('names each rule version once, cites a source and uses only configured limits', () => {
    const keys = RULE_CATALOGUE.map((rule) => `${rule.id}@${String(rule.version)}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const rule of RULE_CATALOGUE) {
      expect(rule.sources.length, rule.id).toBeGreaterThan(0);
      for (const key of rule.limitKeys) expect(Object.keys(DEFAULT_LIMITS)).toContain(key);
    }
  });

  it('picks the version in force on a date', () => {
    expect(rulesInForce('2026-07-14T23:59:59Z').map((rule) => rule.id)).not.toContain('NRM-01');
    expect(rulesInForce('2026-07-15T00:00:00Z').map((rule) => rule.id)).toContain('NRM-01');
  });

  it('docs/rules.md is the generated catalogue (run services/audit/src/tools/generate-rules-doc.ts)', () => {
    const committed = readFileSync(
      fileURLToPath(new URL('../../../../docs/rules.md', import.meta.url)),
      'utf8',
    );
    expect(committed).toBe(renderRuleCatalogue());
  });
});
