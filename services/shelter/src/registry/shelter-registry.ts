import { isEncryptedField, shelterRegistryFamily } from '@waypoint/contracts';
import { LiveView, type EventStore } from '@waypoint/eventstore';
import { sealedFrom, type Sealed } from '@waypoint/privacy';
import { categories, idOf } from '../streams.js';

/** A shelter as the registry knows it; the address stays sealed until a reader may see it. */
export interface ShelterRecord {
  readonly shelterId: string;
  name: string;
  readonly operatorOrgId: string;
  readonly country: string;
  type: string;
  capacity: number;
  childOnly: boolean;
  adultsOnly: boolean;
  secure: boolean;
  closed: boolean;
  readonly registeredAt: string;
  revision: number;
  address: Sealed | undefined;
}

export type ShelterRegistry = Map<string, ShelterRecord>;

/** Every shelter of the registry, kept in memory from the registry streams. */
export function shelterRegistryView(store: EventStore): LiveView<ShelterRegistry> {
  return new LiveView(
    store,
    { categories: [categories.registry] },
    new Map<string, ShelterRecord>(),
    (registry, recorded) => {
      const event = shelterRegistryFamily.decode(recorded);
      const shelterId = idOf(recorded.stream, categories.registry);
      const address = (value: unknown): Sealed | undefined =>
        sealedFrom(value, recorded.id, isEncryptedField);
      if (event.type === 'ShelterRegistered') {
        const { address: sealed, ...data } = event.data;
        registry.set(shelterId, {
          ...data,
          closed: false,
          registeredAt: recorded.metadata.occurredAt,
          revision: recorded.revision,
          address: address(sealed),
        });
        return;
      }
      const shelter = registry.get(shelterId);
      if (!shelter) return;
      shelter.revision = recorded.revision;
      if (event.type === 'ShelterClosed') shelter.closed = true;
      if (event.type !== 'ShelterUpdated') return;
      const { address: sealed, ...changes } = event.data;
      if (changes.name !== undefined) shelter.name = changes.name;
      if (changes.type !== undefined) shelter.type = changes.type;
      if (changes.capacity !== undefined) shelter.capacity = changes.capacity;
      if (changes.childOnly !== undefined) shelter.childOnly = changes.childOnly;
      if (changes.adultsOnly !== undefined) shelter.adultsOnly = changes.adultsOnly;
      if (changes.secure !== undefined) shelter.secure = changes.secure;
      if (sealed !== undefined) shelter.address = address(sealed);
    },
  );
}
