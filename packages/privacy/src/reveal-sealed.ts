import type { Category, EncryptedField } from '@waypoint/contracts';
import type { DecryptResult } from './field-cipher.js';

/** A personal value in a read model: ciphertext with the id of the event it came from (its associated data). */
export interface Sealed {
  readonly $sealed: true;
  readonly eventId: string;
  readonly field: EncryptedField;
}

/** Wraps a stored encrypted field for a read model, or gives undefined for anything else. */
export function sealedFrom(
  value: unknown,
  eventId: string,
  isField: (value: unknown) => value is EncryptedField,
): Sealed | undefined {
  return isField(value) ? { $sealed: true, eventId, field: value } : undefined;
}

interface Decrypter {
  decrypt(field: EncryptedField, eventId: string): Promise<DecryptResult>;
}

export type RevealedView<T> = T extends Sealed
  ? unknown
  : T extends (infer Item)[]
    ? RevealedView<Item>[]
    : T extends object
      ? { [Key in keyof T]: RevealedView<T[Key]> }
      : T;

function isSealed(value: unknown): value is Sealed {
  return (
    typeof value === 'object' && value !== null && (value as { $sealed?: unknown }).$sealed === true
  );
}

/**
 * Replaces every sealed value of a view: its plaintext when the reader may read its category,
 * `{ $hidden: 'restricted' }` when not, `{ $hidden: 'erased' }` when its key was destroyed.
 * Returns the categories actually revealed, for the access record.
 */
export async function revealSealed<T>(
  view: T,
  cipher: Decrypter,
  allowed: ReadonlySet<Category>,
): Promise<{ value: RevealedView<T>; categories: Set<Category> }> {
  const categories = new Set<Category>();
  const walk = async (value: unknown): Promise<unknown> => {
    if (isSealed(value)) {
      const { category } = value.field;
      if (!allowed.has(category)) return { $hidden: 'restricted', category };
      const result = await cipher.decrypt(value.field, value.eventId);
      if (!result.ok) return { $hidden: 'erased', category };
      categories.add(category);
      return result.value;
    }
    if (Array.isArray(value)) return Promise.all(value.map(walk));
    if (typeof value === 'object' && value !== null) {
      const entries = await Promise.all(
        Object.entries(value).map(async ([key, item]) => [key, await walk(item)] as const),
      );
      return Object.fromEntries(entries.filter(([, item]) => item !== undefined));
    }
    return value;
  };
  return { value: (await walk(view)) as RevealedView<T>, categories };
}
