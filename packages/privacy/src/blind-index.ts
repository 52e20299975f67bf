import { createHmac } from 'node:crypto';
import { InvalidInputError, InvalidKeyMaterialError } from './errors.js';
import { KEY_BYTES, decodeKeyMaterial } from './key-material.js';

const KIND = /^[a-z][a-z0-9-]{0,63}$/;

/**
 * The form two spellings of one value share: compatibility decomposition (NFKD) with the combining
 * marks removed, lower case, whitespace collapsed and trimmed. `José  García` → `jose garcia`.
 * Decomposed both before lower-casing (`℡` decomposes to capitals) and after (lower-casing `İ`
 * yields a combining dot).
 */
export function normaliseForIndex(value: string): string {
  return value
    .normalize('NFKD')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

/**
 * Keyed HMAC-SHA256 over a normalised value, so that names can be searched and a person already
 * registered spotted without storing the plaintext. Equal values give equal indexes: that is what
 * it is for, and all it leaks to someone without the key (see README.md). With the key, a name is
 * easy to guess from its index, so the key is a secret of its own, never the master key.
 */
export class BlindIndex {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (!Buffer.isBuffer(key) || key.length < KEY_BYTES) {
      throw new InvalidKeyMaterialError(
        'INVALID_BLIND_INDEX_KEY',
        `The blind index key must be at least ${String(KEY_BYTES)} bytes`,
      );
    }
    this.key = Buffer.from(key);
  }

  /** From configuration: base64 of 32 bytes. */
  static fromConfig(text: string): BlindIndex {
    return new BlindIndex(decodeKeyMaterial(text, 'INVALID_BLIND_INDEX_KEY', 'blind index key'));
  }

  /**
   * The index of `value` as a `kind` ('name', 'birth-date', ...): the kind separates domains, so
   * equal text under two kinds gives unrelated indexes and they cannot be joined.
   */
  compute(kind: string, value: string): string {
    if (!KIND.test(kind)) {
      throw new InvalidInputError(
        'INVALID_BLIND_INDEX_KIND',
        'kind',
        'A blind index kind is lower-case letters, digits and dashes, e.g. birth-date',
      );
    }
    const normalised = normaliseForIndex(value);
    if (normalised.length === 0) {
      // Every empty value would share one index: a marker, not a search key.
      throw new InvalidInputError(
        'EMPTY_BLIND_INDEX_VALUE',
        'value',
        'A blind index of an empty value would match every other empty value',
      );
    }
    return createHmac('sha256', this.key)
      .update(`waypoint/blind-index/v1\n${kind}\n${normalised}`, 'utf8')
      .digest('base64url');
  }
}
