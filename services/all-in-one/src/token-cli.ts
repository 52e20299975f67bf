/**
 * `pnpm demo-token <demo-user>`: prints a short-lived bearer token for a demo user of the local
 * installation, signed with the key generated on its first start.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_USERS } from './demo.js';
import type { InstallSecrets } from './install-secrets.js';
import { demoToken } from './tokens.js';

const user = process.argv[2];
const dataDir = process.env.DATA_DIR ?? '.data';
const secretsFile = join(dataDir, 'secrets.json');
if (!user || !(user in DEMO_USERS)) {
  process.stderr.write(
    `usage: pnpm demo-token <user>\n${Object.entries(DEMO_USERS)
      .map(([name, demo]) => `  ${name.padEnd(12)} ${demo.description}`)
      .join('\n')}\n`,
  );
  process.exit(2);
}
if (!existsSync(secretsFile)) {
  process.stderr.write(
    `No installation in ${dataDir}: run pnpm start once first (or set DATA_DIR).\n`,
  );
  process.exit(1);
}
const secrets = JSON.parse(readFileSync(secretsFile, 'utf8')) as InstallSecrets;
process.stdout.write(`${await demoToken(secrets.signingKey.privateJwk, user)}\n`);
