import { valueAt, type Category, type EventFamily } from '@waypoint/contracts';
import type { JsonObject } from './json.js';

/** What sealing needs from the privacy package: encrypt the values at some paths of an event. */
export interface PathEncrypter {
  encryptPaths(
    eventId: string,
    data: JsonObject,
    plan: readonly { path: string; subject: string; category: Category }[],
  ): Promise<JsonObject>;
}

export class UnsealedFieldError extends Error {
  constructor(
    readonly type: string,
    readonly paths: readonly string[],
  ) {
    super(`${type} would be stored with plaintext at ${paths.join(', ')}`);
    this.name = 'UnsealedFieldError';
  }
}

/**
 * Encrypts every classified field of an event under the subject's key for its category, with the
 * event id and path as associated data. An amendment's replacement is classified like the event
 * it amends. Refuses to hand back an event that would still hold plaintext in a classified field.
 */
export async function sealEvent<Event extends { readonly type: string; readonly data: unknown }>(
  family: EventFamily<Event>,
  cipher: PathEncrypter,
  event: { type: string; data: JsonObject },
  eventId: string,
  subject: string,
  amendedType?: string,
): Promise<JsonObject> {
  const own = Object.entries(family.definition(event.type).encrypted);
  const replacement =
    event.type === 'EventAmended' && amendedType !== undefined
      ? Object.entries(family.definition(amendedType).encrypted).map(
          ([path, category]) => [`replacement.${path}`, category] as const,
        )
      : [];
  const plan = [...own, ...replacement]
    .filter(([path]) => valueAt(event.data, path) !== undefined)
    .map(([path, category]) => ({ path, subject, category }));
  const sealed =
    plan.length === 0 ? event.data : await cipher.encryptPaths(eventId, event.data, plan);
  const unsealed = family.unsealedPaths(event.type, sealed);
  if (unsealed.length > 0) throw new UnsealedFieldError(event.type, unsealed);
  return sealed;
}
