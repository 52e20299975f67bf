import type { EventStore, RecordedEvent } from '@waypoint/eventstore';
import type { OpenJourney } from '@waypoint/journey-facts';
import { streams } from './streams.js';

/** Every event of a journey's streams and of its person's registry stream, read from the store. */
export async function readJourney(
  store: EventStore,
  journey: Pick<OpenJourney, 'journeyId' | 'personId'>,
): Promise<RecordedEvent[]> {
  const names = [...streams.journeyStreams(journey.journeyId), streams.person(journey.personId)];
  const events: RecordedEvent[] = [];
  for (const stream of names)
    for await (const event of store.readStream(stream)) events.push(event);
  return events;
}
