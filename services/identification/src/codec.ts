import type { EventFamily } from '@waypoint/contracts';
import type { EventCodec } from '@waypoint/decider';
import type { RecordedEvent } from '@waypoint/eventstore';

/** Encodes with the family's current schema; decodes any stored version and keeps the event id. */
export function familyCodec<Event extends { readonly type: string; readonly data: unknown }>(
  family: EventFamily<Event>,
): EventCodec<Event & { readonly eventId?: string }> {
  return {
    encode: (event) => family.encode(event),
    decode: (recorded: RecordedEvent) => ({ ...family.decode(recorded), eventId: recorded.id }),
  };
}
