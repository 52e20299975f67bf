import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Category } from '@waypoint/contracts';
import { InvalidKeyMaterialError, KeyUnwrapFailedError, MasterKeyUnknownError } from './errors.js';
import { KEY_BYTES } from './key-material.js';
import { assertMasterKey, type MasterKey } from './master-key.js';

/** A data key as stored: the master key id beside `iv ‖ ciphertext ‖ tag`. */
export interface WrappedKey {
  readonly kid: string;
  readonly wrapped: Buffer;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const WRAPPED_BYTES = IV_BYTES + KEY_BYTES + TAG_BYTES;

/**
 * The subject and category are the associated data: a wrapped key copied onto another person's
 * row, or into another category, fails to unwrap instead of silently decrypting their data.
 */
function wrapAad(subject: string, category: Category): Buffer {
  return Buffer.from(`waypoint/person-key/v1\n${category}\n${subject}`, 'utf8');
}

/**
 * The configured master keys: the current one wraps, any of them unwraps (by the id stored with
 * the wrapped key), so that keys a rotation has not reached yet stay readable.
 */
export class MasterKeyRing {
  private current: MasterKey;
  private readonly byId = new Map<string, MasterKey>();

  constructor(current: MasterKey, previous: readonly MasterKey[] = []) {
    for (const key of [...previous, current]) this.add(key);
    this.current = current;
  }

  get currentId(): string {
    return this.current.id;
  }

  /** From now on `next` wraps; the others stay to unwrap what is not re-wrapped yet. */
  makeCurrent(next: MasterKey): void {
    this.add(next);
    this.current = next;
  }

  wrap(subject: string, category: Category, dataKey: Buffer): WrappedKey {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv, {
      authTagLength: TAG_BYTES,
    });
    cipher.setAAD(wrapAad(subject, category));
    const ct = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return { kid: this.current.id, wrapped: Buffer.concat([iv, ct, cipher.getAuthTag()]) };
  }

  unwrap(subject: string, category: Category, stored: WrappedKey): Buffer {
    const master = this.byId.get(stored.kid);
    if (!master) throw new MasterKeyUnknownError(stored.kid);
    if (stored.wrapped.length !== WRAPPED_BYTES)
      throw new KeyUnwrapFailedError(stored.kid, category);
    try {
      const decipher = createDecipheriv(
        'aes-256-gcm',
        master.key,
        stored.wrapped.subarray(0, IV_BYTES),
        { authTagLength: TAG_BYTES },
      );
      decipher.setAAD(wrapAad(subject, category));
      decipher.setAuthTag(stored.wrapped.subarray(IV_BYTES + KEY_BYTES));
      return Buffer.concat([
        decipher.update(stored.wrapped.subarray(IV_BYTES, IV_BYTES + KEY_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new KeyUnwrapFailedError(stored.kid, category);
    }
  }

  private add(key: MasterKey): void {
    assertMasterKey(key);
    const known = this.byId.get(key.id);
    if (known && !timingSafeEqual(known.key, key.key)) {
      // Two keys under one id would make every key wrapped under one of them unreadable.
      throw new InvalidKeyMaterialError(
        'INVALID_MASTER_KEY',
        `Master key id "${key.id}" is configured twice with different key material`,
      );
    }
    this.byId.set(key.id, known ?? key);
  }
}
