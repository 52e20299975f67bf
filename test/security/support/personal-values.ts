import type { Category } from '@waypoint/contracts';
import type { World } from './world.js';

/** An encrypted field of a stored event: which event, where in its data, under which category. */
export interface SealedField {
  readonly eventId: string;
  /** Path inside the event's `data`, as keys. */
  readonly path: readonly string[];
  readonly category: Category;
}

function sealedIn(
  value: unknown,
  path: readonly string[],
  found: (path: readonly string[], category: Category) => void,
): void {
  if (typeof value !== 'object' || value === null) return;
  if ('$enc' in value) {
    found(path, (value as unknown as { category: Category }).category);
    return;
  }
  for (const [key, item] of Object.entries(value)) sealedIn(item, [...path, key], found);
}

/** Every encrypted field the store holds, by event id. */
export async function sealedFields(world: World): Promise<Map<string, SealedField[]>> {
  const byEvent = new Map<string, SealedField[]>();
  for await (const event of world.embedded.store.readAll()) {
    sealedIn(event.data, [], (path, category) => {
      const list = byEvent.get(event.id) ?? [];
      list.push({ eventId: event.id, path, category });
      byEvent.set(event.id, list);
    });
  }
  return byEvent;
}

export function at(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** The strings of a value, deep: what a plaintext field turns into in a response body. */
export function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap(stringsOf);
}

export const isHidden = (value: unknown): value is { $hidden: string; category: Category } =>
  typeof value === 'object' && value !== null && '$hidden' in value;

/** Every `{ $hidden }` marker of a body, with where it was. */
export function hiddenMarkers(
  value: unknown,
  path = '',
): { path: string; category: Category; kind: string }[] {
  if (isHidden(value)) return [{ path, category: value.category, kind: value.$hidden }];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => hiddenMarkers(item, `${path}.${key}`));
}
