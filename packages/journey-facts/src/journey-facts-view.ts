import { familyCodec, identificationFamily, personFamily } from '@waypoint/contracts';
import { LiveView, streamInCategory, type EventStore } from '@waypoint/eventstore';
import { evolveFacts } from './evolve-journey.js';
import {
  initialState,
  withRegistryChild,
  type JourneyState,
  type OpenJourney,
} from './journey-state.js';

const codec = familyCodec(identificationFamily);

/** What the view keeps besides the journeys: the fold states and the registry's children. */
interface Folds {
  readonly states: Map<string, JourneyState>;
  /** Persons registered as children (`PersonRegistered.child` 'yes'). */
  readonly children: Set<string>;
  /** The journeys of each person, to update them when the registration arrives after them. */
  readonly journeysOf: Map<string, Set<string>>;
}

function applyJourneyEvent(
  folds: Folds,
  model: Map<string, OpenJourney>,
  journeyId: string,
  next: JourneyState,
): void {
  folds.states.set(journeyId, next);
  if (next.status !== 'open') return;
  const journeys = folds.journeysOf.get(next.personId) ?? new Set<string>();
  journeys.add(journeyId);
  folds.journeysOf.set(next.personId, journeys);
  // The fold knows only the journey's events: the registry's child status is joined in here.
  model.set(journeyId, withRegistryChild(next, folds.children.has(next.personId)));
}

function applyRegistration(
  folds: Folds,
  model: Map<string, OpenJourney>,
  personId: string,
  child: boolean,
): void {
  if (child) folds.children.add(personId);
  else folds.children.delete(personId);
  for (const journeyId of folds.journeysOf.get(personId) ?? []) {
    const journey = model.get(journeyId);
    if (journey) model.set(journeyId, withRegistryChild(journey, child));
  }
}

/**
 * Every journey's identification facts, kept by a service that needs them (who sees the journey,
 * its consents, whether the person is presumed a child) without calling the identification
 * service: a fold of the identification events and the person registry's child status, fed by a
 * catch-up subscription.
 */
export function journeyFactsView(store: EventStore): LiveView<Map<string, OpenJourney>> {
  const folds: Folds = { states: new Map(), children: new Set(), journeysOf: new Map() };
  return new LiveView(
    store,
    { categories: ['identification', 'person'] },
    new Map<string, OpenJourney>(),
    (model, recorded) => {
      if (streamInCategory(recorded.stream, 'person')) {
        const event = personFamily.decode(recorded);
        if (event.type === 'PersonRegistered')
          applyRegistration(folds, model, event.data.personId, event.data.child === 'yes');
        return;
      }
      const journeyId = recorded.stream.slice('identification-'.length);
      const next = evolveFacts(
        folds.states.get(journeyId) ?? initialState(),
        codec.decode(recorded),
      );
      applyJourneyEvent(folds, model, journeyId, next);
    },
  );
}
