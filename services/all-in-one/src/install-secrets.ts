import { generateKeyPairSync, randomBytes } from 'node:crypto';
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
  /** Ed25519 private key (PKCS#8 PEM) that signs the audit's digests of every stream head. */
  readonly digestKey: string;
  /** The bearer secret a metrics scraper shows at /metrics. */
  readonly metricsCredential: string;
}

const newDigestKey = (): string =>
  generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

const newMetricsCredential = (): string => randomBytes(32).toString('base64url');

function write(file: string, secrets: InstallSecrets, flag: 'wx' | 'w'): void {
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600, flag });
  chmodSync(file, 0o600);
}

export async function loadOrCreateSecrets(
  dataDir: string,
): Promise<{ secrets: InstallSecrets; created: boolean }> {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<InstallSecrets> &
      Omit<InstallSecrets, 'digestKey' | 'metricsCredential'>;
    const { digestKey, metricsCredential } = stored;
    if (digestKey !== undefined && metricsCredential !== undefined)
      return { secrets: { ...stored, digestKey, metricsCredential }, created: false };
    // An installation from before the audit signed digests or metrics needed a credential: the
    // missing secrets are added, the others kept.
    const upgraded: InstallSecrets = {
      ...stored,
      digestKey: digestKey ?? newDigestKey(),
      metricsCredential: metricsCredential ?? newMetricsCredential(),
    };
    write(file, upgraded, 'w');
    return { secrets: upgraded, created: false };
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const pair = await generateSigningKeyPair();
  const secrets: InstallSecrets = {
    masterKey: `install-1:${randomBytes(32).toString('base64')}`,
    blindIndexKey: randomBytes(32).toString('base64'),
    signingKey: { privateJwk: pair.privateJwk, publicJwk: pair.publicJwk },
    digestKey: newDigestKey(),
    metricsCredential: newMetricsCredential(),
  };
  write(file, secrets, 'wx');
  return { secrets, created: true };
}
