import { personFamily } from '@waypoint/contracts';
import { LiveView, type EventStore } from '@waypoint/eventstore';
import { categories } from '../streams.js';

export interface PersonIndex {
  /** Blind index value to the persons registered with it. */
  readonly byBlindIndex: Map<string, Set<string>>;
  /** Person to the organisation that registered them and the journeys opened for them. */
  readonly persons: Map<string, { registeredByOrgId: string; journeyOrgIds: Set<string> }>;
}

/** Search and duplicate detection over blind indexes: no plaintext name is ever kept here. */
export function personIndex(store: EventStore): LiveView<PersonIndex> {
  const model: PersonIndex = { byBlindIndex: new Map(), persons: new Map() };
  return new LiveView(store, { categories: [categories.person] }, model, (index, recorded) => {
    const event = personFamily.decode(recorded);
    if (event.type === 'PersonRegistered') {
      index.persons.set(event.data.personId, {
        registeredByOrgId: event.data.registeredByOrgId,
        journeyOrgIds: new Set(),
      });
      for (const value of Object.values(event.data.blindIndexes)) {
        if (value === undefined) continue;
        const ids = index.byBlindIndex.get(value) ?? new Set<string>();
        ids.add(event.data.personId);
        index.byBlindIndex.set(value, ids);
      }
    } else {
      const personId = recorded.stream.slice('person-'.length);
      index.persons.get(personId)?.journeyOrgIds.add(event.data.openedByOrgId);
    }
  });
}
