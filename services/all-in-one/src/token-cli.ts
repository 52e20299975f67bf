/**
 * `pnpm demo-token <demo-user>`: prints a short-lived bearer token for a demo user of the local
 * installation, signed with the key generated on its first start.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTokenArgs, tokenUsage } from './cli-args.js';
import { DEMO_USERS, demoUser } from './demo.js';
import type { InstallSecrets } from './install-secrets.js';
import { demoToken } from './tokens.js';

const parsed = parseTokenArgs(process.argv.slice(2), (name) => demoUser(name) !== undefined);
const dataDir = process.env.DATA_DIR ?? '.data';
const secretsFile = join(dataDir, 'secrets.json');
if (parsed.kind === 'help') {
  process.stdout.write(tokenUsage(DEMO_USERS));
} else if (parsed.kind === 'usage-error') {
  process.stderr.write(`demo-token: ${parsed.message} (see --help)\n`);
  process.exitCode = 2;
} else if (!existsSync(secretsFile)) {
  process.stderr.write(
    `demo-token: no installation in ${dataDir}: start it once first (or set DATA_DIR)\n`,
  );
  process.exitCode = 1;
} else {
  const { user, ttlSeconds, json } = parsed.command;
  const secrets = JSON.parse(readFileSync(secretsFile, 'utf8')) as InstallSecrets;
  const token = await demoToken(secrets.signingKey.privateJwk, user, ttlSeconds);
  process.stdout.write(
    json ? `${JSON.stringify({ user, token, expiresIn: ttlSeconds })}\n` : `${token}\n`,
  );
}
