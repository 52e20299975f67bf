import type { RecordedEvent } from '@waypoint/eventstore';
import type { EventFamily } from './event-family.js';

/**
 * A family as the command handler's codec: encode with the current schema, decode any stored
 * version, and keep the stored event's id on the decoded event (corrections refer to it).
 */
export function familyCodec<Event extends { readonly type: string; readonly data: unknown }>(
  family: EventFamily<Event>,
) {
  return {
    encode: (event: Event) => family.encode(event),
    decode: (recorded: RecordedEvent): Event & { readonly eventId?: string } => ({
      ...family.decode(recorded),
      eventId: recorded.id,
    }),
  };
}
