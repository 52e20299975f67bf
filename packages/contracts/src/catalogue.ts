import { z } from 'zod';
import type { EventFamily } from './event-family.js';

/**
 * The event catalogue in Markdown, generated from the families themselves: type, version, origin
 * (decision, recorded fact, record), which fields are encrypted under which category, and the JSON
 * schema of the data. docs/events.md is this text; a test fails when the committed copy is stale.
 */
export function renderEventCatalogue(
  families: readonly EventFamily<{ type: string; data: unknown }>[],
): string {
  const lines = [
    '# Event catalogue',
    '',
    '<!-- Generated from packages/contracts by `pnpm docs:generate`; do not edit by hand. -->',
    '',
    'Origins: **decision** taken through Waypoint (guarded: refused when its legal preconditions are missing, unless a supervisor overrides); **fact** recorded from an outside body or the person (accepted when well formed; the audit judges it); **record** kept by the system.',
    '',
    "Encrypted fields hold an `EncryptedField` envelope once stored, under the person's key for the category named; everything else is in clear.",
    '',
  ];
  for (const family of families) {
    lines.push(`## ${family.name}`, '');
    lines.push(
      '| event | version | origin | encrypted fields | what it records |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const definition of family.definitions) {
      const encrypted = Object.entries(definition.encrypted)
        .map(([path, category]) => `\`${path}\` (${category})`)
        .join(', ');
      lines.push(
        `| \`${definition.type}\` | ${String(definition.schemaVersion)} | ${definition.origin} | ${encrypted || '-'} | ${definition.description} |`,
      );
    }
    lines.push('');
    for (const definition of family.definitions) {
      const schema = family.schemas[definition.type];
      if (!schema) continue;
      lines.push(`### ${definition.type} (v${String(definition.schemaVersion)})`, '', '```json');
      lines.push(
        JSON.stringify(z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }), null, 2),
      );
      lines.push('```', '');
    }
  }
  return lines.join('\n');
}
