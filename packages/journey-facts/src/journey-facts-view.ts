import { familyCodec, identificationFamily } from '@waypoint/contracts';
import { LiveView, type EventStore } from '@waypoint/eventstore';
import { evolve } from './evolve-journey.js';
import { initialState, type JourneyState, type OpenJourney } from './journey-state.js';

const codec = familyCodec(identificationFamily);

/**
 * Every journey's identification facts, kept by a service that needs them (who sees the journey,
 * its consents, whether the person is presumed a child) without calling the identification
 * service: a fold of the identification events, fed by a catch-up subscription.
 */
export function journeyFactsView(store: EventStore): LiveView<Map<string, OpenJourney>> {
  const states = new Map<string, JourneyState>();
  const journeys = new Map<string, OpenJourney>();
  return new LiveView(store, { categories: ['identification'] }, journeys, (model, recorded) => {
    const journeyId = recorded.stream.slice('identification-'.length);
    const next = evolve(states.get(journeyId) ?? initialState(), codec.decode(recorded));
    states.set(journeyId, next);
    if (next.status === 'open') model.set(journeyId, next);
  });
}
