import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INDICATORS } from './indicators/domain/indicators.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The README's row for a key: review indicators share one row per kind, over dimensions and months. */
function documentedAs(key: string): string {
  return key
    .replace(/^review_(economic|social|psychosocial|composite)_/, 'review_<dimension>_')
    .replace(/_(m6|m12)$/, '_m3');
}

describe('the README', () => {
  it('defines every indicator the service computes', () => {
    const missing = INDICATORS.map((indicator) => documentedAs(indicator.key)).filter(
      (key) => !readme.includes(`| \`${key}\``),
    );
    expect(missing).toEqual([]);
  });
});
