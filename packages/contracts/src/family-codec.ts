import type { RecordedEvent } from './envelope.js';
import type { JsonObject } from './json.js';
import type { EventFamily } from './event-family.js';

/**
 * A family as the command handler's codec: encode with the current schema, decode any stored
 * version, and keep the stored event's id on the decoded event (corrections refer to it). A fact
 * recorded after it happened carries `occurredAt` (an instant in UTC) beside its data: it becomes
 * the envelope's occurrence time, never part of the data.
 */
export function familyCodec<Event extends { readonly type: string; readonly data: unknown }>(
  family: EventFamily<Event>,
) {
  return {
    encode: (
      event: Event & { readonly occurredAt?: string },
    ): { type: string; schemaVersion: number; data: JsonObject; occurredAt?: string } => {
      const encoded = family.encode(event);
      return event.occurredAt === undefined
        ? encoded
        : { ...encoded, occurredAt: event.occurredAt };
    },
    decode: (recorded: RecordedEvent): Event & { readonly eventId?: string } => ({
      ...family.decode(recorded),
      eventId: recorded.id,
    }),
  };
}
