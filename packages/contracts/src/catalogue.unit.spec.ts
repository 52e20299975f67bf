import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { accessFamily, grantFamily } from './access-records.js';
import { renderEventCatalogue } from './catalogue.js';
import { identificationFamily, organisationFamily, personFamily } from './identification/events.js';
import { ALL_FAMILIES } from './families.js';

describe('the event catalogue', () => {
  it('lists every family', () => {
    expect(ALL_FAMILIES).toEqual([
      identificationFamily,
      personFamily,
      organisationFamily,
      accessFamily,
      grantFamily,
    ]);
  });
  it('docs/events.md is the generated catalogue (run `pnpm docs:generate` after changing an event)', () => {
    const committed = readFileSync(
      fileURLToPath(new URL('../../../docs/events.md', import.meta.url)),
      'utf8',
    );
    expect(committed).toBe(renderEventCatalogue(ALL_FAMILIES));
  });
});
