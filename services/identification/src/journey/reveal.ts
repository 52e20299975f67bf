import type { Category } from '@waypoint/contracts';
import type { Cipher } from '../deps.js';
import type { Sealed } from './identification-view.js';

export type Revealed<T> = T extends Sealed
  ? unknown
  : T extends (infer Item)[]
    ? Revealed<Item>[]
    : T extends object
      ? { [Key in keyof T]: Revealed<T[Key]> }
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
export async function reveal<T>(
  view: T,
  cipher: Cipher,
  allowed: ReadonlySet<Category>,
): Promise<{ value: Revealed<T>; categories: Set<Category> }> {
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
  return { value: (await walk(view)) as Revealed<T>, categories };
}
