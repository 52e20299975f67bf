import type { Category } from '@waypoint/contracts';

/**
 * Every error this package raises on purpose carries a stable code (catalogue in README.md).
 * Messages never carry key material, plaintext or a subject id: they end up in logs.
 */
export abstract class PrivacyError extends Error {
  abstract readonly code: string;
}

/** The key was destroyed (crypto-shredded): what it encrypted is gone for good. */
export class KeyDestroyedError extends PrivacyError {
  readonly code = 'KEY_DESTROYED';
  constructor(readonly category: Category) {
    super(`The ${category} key of this subject was destroyed`);
    this.name = 'KeyDestroyedError';
  }
}

/**
 * A field names a key this key store never held: the wrong key store, or keys lost in a restore.
 * Distinct from KEY_DESTROYED, which is a decision; this one is an incident.
 */
export class KeyNotFoundError extends PrivacyError {
  readonly code = 'KEY_NOT_FOUND';
  constructor(readonly category: Category) {
    super(`No ${category} key is stored for this subject`);
    this.name = 'KeyNotFoundError';
  }
}

/** The ciphertext, tag or associated data do not match: tampering, or a field moved elsewhere. */
export class DecryptionFailedError extends PrivacyError {
  readonly code = 'DECRYPTION_FAILED';
  constructor(
    readonly category: Category,
    readonly path: string,
  ) {
    super(
      `Could not decrypt ${path} (${category}): the ciphertext, tag or associated data (event id, path) do not match`,
    );
    this.name = 'DecryptionFailedError';
  }
}

/** A wrapped data key names a master key that is not configured. */
export class MasterKeyUnknownError extends PrivacyError {
  readonly code = 'MASTER_KEY_UNKNOWN';
  constructor(readonly kid: string) {
    super(
      `A data key is wrapped under master key "${kid}", which is not configured (add it to previousMasterKeys)`,
    );
    this.name = 'MasterKeyUnknownError';
  }
}

/** The master key with the stored id does not open the wrapped key: wrong material, or a moved or altered row. */
export class KeyUnwrapFailedError extends PrivacyError {
  readonly code = 'KEY_UNWRAP_FAILED';
  constructor(
    readonly kid: string,
    readonly category: Category,
  ) {
    super(
      `The ${category} data key could not be unwrapped with master key "${kid}": the configured key material is wrong, or the wrapped key was altered or moved to another subject`,
    );
    this.name = 'KeyUnwrapFailedError';
  }
}

/** Key material from configuration is unusable. The message says why, never what it was. */
export class InvalidKeyMaterialError extends PrivacyError {
  readonly code: 'INVALID_MASTER_KEY' | 'INVALID_BLIND_INDEX_KEY';
  constructor(code: 'INVALID_MASTER_KEY' | 'INVALID_BLIND_INDEX_KEY', message: string) {
    super(message);
    this.code = code;
    this.name = 'InvalidKeyMaterialError';
  }
}

export type InvalidInputCode =
  | 'INVALID_SUBJECT'
  | 'INVALID_CATEGORY'
  | 'INVALID_REASON'
  | 'INVALID_DESTRUCTION'
  | 'INVALID_SEQ'
  | 'INVALID_EVENT_ID'
  | 'INVALID_PATH'
  | 'INVALID_VALUE'
  | 'INVALID_ENCRYPTED_FIELD'
  | 'INVALID_BLIND_INDEX_KIND'
  | 'EMPTY_BLIND_INDEX_VALUE';

/** Input refused before any I/O: `field` names what is wrong. */
export class InvalidInputError extends PrivacyError {
  readonly code: InvalidInputCode;
  constructor(
    code: InvalidInputCode,
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.code = code;
    this.name = 'InvalidInputError';
  }
}

export class KeyStoreClosedError extends PrivacyError {
  readonly code = 'KEY_STORE_CLOSED';
  constructor() {
    super('The key store is closed');
    this.name = 'KeyStoreClosedError';
  }
}
