import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { baseConfigSchema } from './config/base-config.js';
import { describeConfig } from './config/config.js';
import { PROBLEMS } from './errors.js';

/** Table rows without the padding prettier adds, so generated and formatted tables compare. */
function rows(markdown: string): string[] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .split('|')
        .map((cell) => cell.trim().replace(/^-+$/, '---'))
        .join('|'),
    );
}

describe('the README', () => {
  const readme = rows(readFileSync(new URL('../README.md', import.meta.url), 'utf8'));

  it('holds the current config table (paste describeConfig(baseConfigSchema) when it changes)', () => {
    for (const row of rows(describeConfig(baseConfigSchema))) expect(readme).toContain(row);
  });

  it('lists every problem code of the catalogue with its status and when it is used', () => {
    for (const [code, problem] of Object.entries(PROBLEMS)) {
      expect(readme).toContain(`|\`${code}\`|${String(problem.status)}|${problem.when}|`);
    }
  });
});
