import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withEsdbPasswordFrom } from './secrets.js';

const folder = mkdtempSync(join(tmpdir(), 'waypoint-secrets-'));
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});
const passwordFile = (password: string): string => {
  const file = join(folder, 'event_store_password');
  writeFileSync(file, `${password}\n`);
  return file;
};

describe('a KurrentDB URL given its password from a file', () => {
  it('puts the password after the user name, for a list of cluster seeds too', async () => {
    await expect(
      withEsdbPasswordFrom(
        'esdb+discover://waypoint@kurrentdb-1:2113,kurrentdb-2:2113?tls=true&tlsCAFile=/run/secrets/ca.crt',
        passwordFile('s3cret'),
      ),
    ).resolves.toBe(
      'esdb+discover://waypoint:s3cret@kurrentdb-1:2113,kurrentdb-2:2113?tls=true&tlsCAFile=/run/secrets/ca.crt',
    );
  });

  it('encodes what would end the credentials (":", "@", "/")', async () => {
    await expect(
      withEsdbPasswordFrom('esdb://waypoint@kurrentdb:2113', passwordFile('a:b@c/d')),
    ).resolves.toBe('esdb://waypoint:a%3Ab%40c%2Fd@kurrentdb:2113');
  });

  it('leaves the URL as it is without a file', async () => {
    await expect(withEsdbPasswordFrom('esdb://kurrentdb:2113?tls=false', undefined)).resolves.toBe(
      'esdb://kurrentdb:2113?tls=false',
    );
  });

  it('refuses a password for a URL that names no user', async () => {
    await expect(
      withEsdbPasswordFrom('esdb://kurrentdb:2113', passwordFile('s3cret')),
    ).rejects.toThrow(/must name its user/);
  });
});
