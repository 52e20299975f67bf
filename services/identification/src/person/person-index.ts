import { erasureFamily, personFamily } from '@waypoint/contracts';
import { LiveView, type EventStore, type RecordedEvent } from '@waypoint/eventstore';
import { erasureCategories } from '../erasure/streams.js';
import { categories } from '../streams.js';

export interface PersonIndex {
  /** Blind index value to the persons registered with it. */
  readonly byBlindIndex: Map<string, Set<string>>;
  /** Person to the organisation that registered them and the journeys opened for them. */
  readonly persons: Map<string, { registeredByOrgId: string; journeyOrgIds: Set<string> }>;
  /** Person to their blind-index values, to take them out when the person's identity is erased. */
  readonly blindIndexesOf: Map<string, readonly string[]>;
}

export function emptyPersonIndex(): PersonIndex {
  return { byBlindIndex: new Map(), persons: new Map(), blindIndexesOf: new Map() };
}

function register(index: PersonIndex, personId: string, values: readonly string[]): void {
  index.blindIndexesOf.set(personId, values);
  for (const value of values) {
    const ids = index.byBlindIndex.get(value) ?? new Set<string>();
    ids.add(personId);
    index.byBlindIndex.set(value, ids);
  }
}

/** After an erasure of identity, neither search nor duplicate detection finds the person. */
function forget(index: PersonIndex, personId: string): void {
  for (const value of index.blindIndexesOf.get(personId) ?? []) {
    const ids = index.byBlindIndex.get(value);
    ids?.delete(personId);
    if (ids?.size === 0) index.byBlindIndex.delete(value);
  }
  index.blindIndexesOf.delete(personId);
}

/** Folds one person or erasure event into the index. */
export function evolvePersonIndex(index: PersonIndex, recorded: RecordedEvent): void {
  if (recorded.stream.startsWith(`${erasureCategories.request}-`)) {
    const event = erasureFamily.decode(recorded);
    if (event.type === 'ErasureCompleted' && event.data.categories.includes('identity')) {
      forget(index, event.data.personId);
    }
    return;
  }
  const event = personFamily.decode(recorded);
  if (event.type === 'PersonRegistered') {
    index.persons.set(event.data.personId, {
      registeredByOrgId: event.data.registeredByOrgId,
      journeyOrgIds: new Set(),
    });
    register(
      index,
      event.data.personId,
      Object.values(event.data.blindIndexes).filter((value) => value !== undefined),
    );
  } else {
    const personId = recorded.stream.slice('person-'.length);
    index.persons.get(personId)?.journeyOrgIds.add(event.data.openedByOrgId);
  }
}

/**
 * Search and duplicate detection over blind indexes: no plaintext name is ever kept here. A
 * completed erasure of the person's identity takes their entries out.
 */
export function personIndex(store: EventStore): LiveView<PersonIndex> {
  return new LiveView(
    store,
    { categories: [categories.person, erasureCategories.request] },
    emptyPersonIndex(),
    evolvePersonIndex,
  );
}
