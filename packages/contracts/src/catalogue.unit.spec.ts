import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderEventCatalogue } from './catalogue.js';
import { ALL_FAMILIES } from './families.js';

describe('the event catalogue', () => {
  it('gives every event type of every family a schema, and every encrypted path a field of it', () => {
    for (const family of ALL_FAMILIES) {
      for (const definition of family.definitions) {
        const schema = family.schemas[definition.type];
        expect(schema, `${family.name}: ${definition.type}`).toBeDefined();
        const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape ?? {};
        for (const path of Object.keys(definition.encrypted)) {
          expect(Object.keys(shape), `${definition.type}.${path}`).toContain(path.split('.')[0]);
        }
      }
    }
  });
  it('docs/events.md is the generated catalogue (run `pnpm docs:generate` after changing an event)', () => {
    const committed = readFileSync(
      fileURLToPath(new URL('../../../docs/events.md', import.meta.url)),
      'utf8',
    );
    expect(committed).toBe(renderEventCatalogue(ALL_FAMILIES));
  });
});
