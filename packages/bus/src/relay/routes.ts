import type { RecordedEvent } from '@waypoint/eventstore';
import type { BusMessage } from '../bus.js';
import { HEADERS, eventMessage } from '../event-message.js';
import { curateForIntegration } from '../integration/curate.js';
import { INTEGRATION_TOPIC } from '../topics.js';

/** What one stored event becomes on the bus: a message, or null when it is not for this route. */
export type RelayRoute = (event: RecordedEvent) => BusMessage | null;

/** Every event, as stored, to the service's own topic. */
export function eventsRoute(topic: string): RelayRoute {
  return (event) => eventMessage(topic, event);
}

/** The allowlisted public events, curated, to `waypoint.integration.v1`. */
export function integrationRoute(topic: string = INTEGRATION_TOPIC): RelayRoute {
  return (event) => {
    const curated = curateForIntegration(event);
    if (!curated) return null;
    return {
      topic,
      key: curated.subject.id,
      value: JSON.stringify(curated),
      headers: {
        [HEADERS.eventId]: curated.id,
        [HEADERS.type]: curated.type,
        [HEADERS.contentType]: 'application/json',
      },
    };
  };
}
