/** `pnpm docs:generate`: writes the documents built from code (the event catalogue). */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ALL_FAMILIES, renderEventCatalogue } from '@waypoint/contracts';

const target = fileURLToPath(new URL('../../docs/events.md', import.meta.url));
writeFileSync(target, renderEventCatalogue(ALL_FAMILIES));
process.stdout.write(`written: ${target}\n`);
