import { InvalidKeyMaterialError } from './errors.js';
import { KEY_BYTES, decodeKeyMaterial } from './key-material.js';

/**
 * The key-encryption key from configuration. Its id is stored beside every data key it wraps, so
 * that a rotation knows which keys it has not reached yet and can resume.
 */
export interface MasterKey {
  readonly id: string;
  /** 32 bytes. */
  readonly key: Buffer;
}

const KID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Parses `<id>:<base64 of 32 bytes>`, e.g. `2026-01:q83v...=`, as kept in a secret store.
 * Surrounding whitespace (a trailing newline in a mounted secret file) is ignored.
 */
export function parseMasterKey(text: string): MasterKey {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  if (colon < 0) {
    throw new InvalidKeyMaterialError(
      'INVALID_MASTER_KEY',
      'A master key is written <id>:<base64 of 32 bytes>, e.g. 2026-01:<output of openssl rand -base64 32>',
    );
  }
  const id = trimmed.slice(0, colon);
  assertKid(id);
  return {
    id,
    key: decodeKeyMaterial(trimmed.slice(colon + 1), 'INVALID_MASTER_KEY', 'master key'),
  };
}

/** Checks a MasterKey built in code rather than parsed. */
export function assertMasterKey(masterKey: MasterKey): void {
  assertKid(masterKey.id);
  if (!Buffer.isBuffer(masterKey.key) || masterKey.key.length !== KEY_BYTES) {
    throw new InvalidKeyMaterialError(
      'INVALID_MASTER_KEY',
      `Master key "${masterKey.id}" must be ${String(KEY_BYTES)} bytes`,
    );
  }
}

function assertKid(id: string): void {
  if (!KID.test(id)) {
    throw new InvalidKeyMaterialError(
      'INVALID_MASTER_KEY',
      'A master key id is 1 to 64 letters, digits, dots, dashes or underscores',
    );
  }
}
