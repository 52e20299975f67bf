import type { EncryptedField } from '@waypoint/contracts';
import type { DecryptResult } from './field-cipher.js';
import type { PathEncrypter } from './seal-event.js';

/**
 * What a service seals its events and reveals them with: a `FieldCipher`, or a stand-in in a
 * spec. The services name this port rather than the class, so that none needs a key store.
 */
export interface EventCipher extends PathEncrypter {
  decrypt(field: EncryptedField, eventId: string): Promise<DecryptResult>;
}
