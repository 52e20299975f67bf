import { InvalidKeyMaterialError } from './errors.js';

export const KEY_BYTES = 32;

/**
 * Decodes base64 (standard or url alphabet) key material strictly: Buffer.from skips characters it
 * does not know, so a typo in a secret would otherwise yield a different, shorter key in silence.
 */
export function decodeKeyMaterial(
  text: string,
  code: 'INVALID_MASTER_KEY' | 'INVALID_BLIND_INDEX_KEY',
  what: string,
): Buffer {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    throw new InvalidKeyMaterialError(code, `The ${what} is not base64`);
  }
  const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== KEY_BYTES) {
    throw new InvalidKeyMaterialError(
      code,
      `The ${what} must be ${String(KEY_BYTES)} bytes (256 bits) in base64; it decodes to ${String(key.length)} bytes. Generate one with: openssl rand -base64 32`,
    );
  }
  return key;
}
