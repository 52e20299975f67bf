import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseConfigSchema, loadConfig, metricsCredentialFromConfig } from '@waypoint/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INFRA, readYaml, text, type JsonObject } from './schemas.js';

/**
 * infra/secrets/create.sh, run in a copy of its folder: it writes every file compose mounts as a
 * secret (else `docker compose up` stops at the first missing one), each readable by the user the
 * services run as (uid and gid 1000: compose mounts file secrets with their owner and mode) and by
 * no one else.
 */
const SERVICE_ID = 1000;
const uid = process.getuid?.() ?? -1;
let folder: string;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'waypoint-secrets-'));
  copyFileSync(join(INFRA, 'secrets/create.sh'), join(folder, 'create.sh'));
});
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

const secretFiles = (): string[] =>
  Object.values(readYaml('compose.yaml').secrets as Record<string, JsonObject>).map((secret) =>
    text(secret.file).replace(/^\.\/secrets\//, ''),
  );

/** Whether a user (uid, gid) may read the file, by its owner, group and mode. */
function readableBy(path: string, id: number): boolean {
  const { uid: owner, gid, mode } = statSync(path);
  return (
    (owner === id && (mode & 0o400) !== 0) ||
    (gid === id && (mode & 0o040) !== 0) ||
    (mode & 0o004) !== 0
  );
}

describe.runIf(uid === 0 || uid === SERVICE_ID)('infra/secrets/create.sh', () => {
  beforeAll(() => {
    execFileSync('sh', [join(folder, 'create.sh')], { stdio: 'pipe' });
  });

  it('writes every file compose mounts as a secret', () => {
    const files = secretFiles();
    expect(files.length).toBeGreaterThan(10);
    expect(files.filter((file) => !existsSync(join(folder, file)))).toEqual([]);
  });

  it('makes each readable by the services’ user, and by no one else', () => {
    for (const file of secretFiles()) {
      const path = join(folder, file);
      expect(readableBy(path, SERVICE_ID), file).toBe(true);
      expect(statSync(path).mode & 0o007, file).toBe(0);
    }
  });

  it('writes a metrics credential the services accept (16 characters or more, one line)', () => {
    const config = loadConfig(baseConfigSchema, {
      AUTH_JWKS_URL: 'http://jwks:8080/jwks.json',
      AUTH_ISSUER: 'https://id.example.org/',
      AUTH_AUDIENCE: 'waypoint',
      METRICS_CREDENTIAL_FILE: join(folder, 'metrics_credential'),
    });
    const credential = metricsCredentialFromConfig(config);
    expect(credential).toMatch(/^[A-Za-z0-9]{16,}$/);
    expect(readFileSync(join(folder, 'metrics_credential'), 'utf8')).toBe(credential);
  });

  it('keeps what it wrote on a second run', () => {
    const before = statSync(join(folder, 'master_key')).mtimeMs;
    execFileSync('sh', [join(folder, 'create.sh')], { stdio: 'pipe' });
    expect(statSync(join(folder, 'master_key')).mtimeMs).toBe(before);
  });
});

describe.runIf(uid !== 0 && uid !== SERVICE_ID)('infra/secrets/create.sh as another user', () => {
  it('refuses: the services could not read what it wrote', () => {
    expect(() => execFileSync('sh', [join(folder, 'create.sh')], { stdio: 'pipe' })).toThrow(
      /must read these files/,
    );
  });
});
