import { InvalidInputError } from './errors.js';
import { isJsonObject, type JsonValue } from './json.js';

const INDEX = /^(0|[1-9][0-9]*)$/;

/** Splits a dot path (`person.names.0.given`); numeric segments index arrays. */
export function parseDotPath(path: string): string[] {
  const segments = path.split('.');
  if (path.length === 0 || segments.some((segment) => segment.length === 0)) {
    throw new InvalidInputError('INVALID_PATH', 'path', `"${path}" is not a dot path`);
  }
  return segments;
}

type Slot =
  | { readonly container: { [key: string]: JsonValue }; readonly key: string }
  | { readonly container: JsonValue[]; readonly key: number };

/**
 * Where the value at `segments` lives, or undefined when it is missing. Only own properties are
 * followed, so a path like `__proto__.x` can neither read nor write through a prototype.
 */
export function slotAt(root: JsonValue, segments: readonly string[]): Slot | undefined {
  let current: JsonValue = root;
  let slot: Slot | undefined;
  for (const segment of segments) {
    if (Array.isArray(current)) {
      if (!INDEX.test(segment)) return undefined;
      const index = Number(segment);
      if (index >= current.length) return undefined;
      slot = { container: current, key: index };
    } else if (isJsonObject(current)) {
      if (!Object.hasOwn(current, segment)) return undefined;
      slot = { container: current, key: segment };
    } else {
      return undefined;
    }
    const next: JsonValue | undefined = readSlot(slot);
    if (next === undefined) return undefined;
    current = next;
  }
  return slot;
}

export function readSlot(slot: Slot): JsonValue | undefined {
  return typeof slot.key === 'number'
    ? (slot.container as JsonValue[])[slot.key]
    : (slot.container as { [key: string]: JsonValue })[slot.key];
}

export function writeSlot(slot: Slot, value: JsonValue): void {
  if (typeof slot.key === 'number') (slot.container as JsonValue[])[slot.key] = value;
  else
    Object.defineProperty(slot.container, slot.key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
}
