import { reintegrationFamily } from '@waypoint/contracts';
import type { EventCodec } from '@waypoint/decider';
import type { StoredEvent } from './domain/state.js';

/**
 * The family as the command handler's codec. A fact recorded after it happened carries its own
 * occurrence time into the envelope (the audit measures time limits by it); read back, every event
 * carries its id and that time, which the guards use (how old is the latest risk assessment?).
 */
export const codec: EventCodec<StoredEvent> = {
  encode: (event) => ({
    ...reintegrationFamily.encode(event),
    ...(event.occurredAt === undefined ? {} : { occurredAt: event.occurredAt }),
  }),
  decode: (recorded) => ({
    ...reintegrationFamily.decode(recorded),
    eventId: recorded.id,
    occurredAt: recorded.metadata.occurredAt,
  }),
};
