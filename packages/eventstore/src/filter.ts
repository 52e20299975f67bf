import { streamInCategory } from './stream-name.js';
import type { ReadAllFilter } from './types.js';

/** The filter of `readAll` as a predicate, for adapters that filter in JavaScript. */
export function matchesFilter(
  filter: ReadAllFilter | undefined,
  stream: string,
  type: string,
): boolean {
  if (!filter) return true;
  if (filter.eventTypes && !filter.eventTypes.includes(type)) return false;
  if (
    filter.categories &&
    !filter.categories.some((category) => streamInCategory(stream, category))
  ) {
    return false;
  }
  return true;
}
