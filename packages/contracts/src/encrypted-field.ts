import { z } from 'zod';
import { CATEGORIES, type Category } from './access.js';

/**
 * How an encrypted value looks in an event and in a read model. The key is the subject's key for
 * the category; the associated data is the event id plus `path`, the field's original path, which
 * travels inside the envelope so that an upcaster can move the field without breaking decryption.
 */
export interface EncryptedField {
  readonly $enc: 'aes-256-gcm/v1';
  /** The person whose key encrypts it (a pseudonymous id). */
  readonly subject: string;
  readonly category: Category;
  /** The field's path when it was encrypted, e.g. `data.name`. */
  readonly path: string;
  /** Base64url of the 12-byte IV, the ciphertext and the 16-byte tag. */
  readonly iv: string;
  readonly ct: string;
  readonly tag: string;
}

const base64url = z.string().regex(/^[A-Za-z0-9_-]*$/);

export const encryptedFieldSchema = z
  .object({
    $enc: z.literal('aes-256-gcm/v1'),
    subject: z.string().min(1).max(100),
    category: z.enum(CATEGORIES),
    path: z.string().min(1).max(200),
    iv: base64url,
    ct: base64url,
    tag: base64url,
  })
  .strict();

export function isEncryptedField(value: unknown): value is EncryptedField {
  return encryptedFieldSchema.safeParse(value).success;
}

/** What a reader sees instead of a value it may not read, or whose key was destroyed. */
export type HiddenField =
  | { readonly $hidden: 'erased'; readonly category: Category }
  | { readonly $hidden: 'restricted'; readonly category: Category };
