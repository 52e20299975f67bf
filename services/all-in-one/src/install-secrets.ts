import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSigningKeyPair } from '@waypoint/service-kit';
import type { JWK } from 'jose';

/**
 * The secrets of one embedded installation, generated on first start and kept in the data folder
 * (mode 0600): the master key that wraps every person's data keys, the blind-index key, and the
 * key that signs demo users' tokens. Losing this file loses every encrypted value; keep a copy
 * apart from the event backups. A production deployment takes these from a secret store instead.
 */
export interface InstallSecrets {
  readonly masterKey: string;
  readonly blindIndexKey: string;
  readonly signingKey: { readonly privateJwk: JWK; readonly publicJwk: JWK };
}

export async function loadOrCreateSecrets(
  dataDir: string,
): Promise<{ secrets: InstallSecrets; created: boolean }> {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file))
    return { secrets: JSON.parse(readFileSync(file, 'utf8')) as InstallSecrets, created: false };
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const pair = await generateSigningKeyPair();
  const secrets: InstallSecrets = {
    masterKey: `install-1:${randomBytes(32).toString('base64')}`,
    blindIndexKey: randomBytes(32).toString('base64'),
    signingKey: { privateJwk: pair.privateJwk, publicJwk: pair.publicJwk },
  };
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { secrets, created: true };
}
