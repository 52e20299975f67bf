import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { expectCodeSync } from './contract/index.js';
import { parseMasterKey } from './master-key.js';

describe('parseMasterKey', () => {
  it('reads <id>:<base64 of 32 bytes>, in either base64 alphabet, ignoring a trailing newline', () => {
    const key = randomBytes(32);
    expect(parseMasterKey(`2026-01:${key.toString('base64')}\n`)).toEqual({ id: '2026-01', key });
    expect(parseMasterKey(`k.2:${key.toString('base64url')}`)).toEqual({ id: 'k.2', key });
  });

  it('refuses a key of the wrong length, saying what it needs and never echoing the key', () => {
    const short = randomBytes(24).toString('base64');
    const error = expectCodeSync(() => parseMasterKey(`k1:${short}`), 'INVALID_MASTER_KEY');
    expect(error.message).toMatch(/must be 32 bytes \(256 bits\).*decodes to 24 bytes/);
    expect(error.message).toContain('openssl rand -base64 32');
    expect(error.message).not.toContain(short);
  });

  it('refuses text without an id, a malformed id, or characters outside base64', () => {
    const key = randomBytes(32).toString('base64');
    expectCodeSync(() => parseMasterKey(key), 'INVALID_MASTER_KEY');
    expectCodeSync(() => parseMasterKey(`:${key}`), 'INVALID_MASTER_KEY');
    expectCodeSync(() => parseMasterKey(`my key:${key}`), 'INVALID_MASTER_KEY');
    // Buffer.from would skip the `!` and decode a different key.
    expectCodeSync(
      () => parseMasterKey(`k1:${key.slice(0, 10)}!${key.slice(10)}`),
      'INVALID_MASTER_KEY',
    );
  });
});
