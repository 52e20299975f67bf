/** Writes docs/rules.md from the rule definitions: `npx tsx services/audit/src/tools/generate-rules-doc.ts`. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderRuleCatalogue } from '../rules/render-catalogue.js';

const target = fileURLToPath(new URL('../../../../docs/rules.md', import.meta.url));
writeFileSync(target, renderRuleCatalogue());
process.stdout.write(`written: ${target}\n`);
