import type { ShelterEvent, ShelterRegistryEvent } from '@waypoint/contracts';
import type { Fact } from '@waypoint/projections';

/** What a journey's placements did in one shelter. */
export interface ShelterMovements {
  readonly shelterId: string;
  admissions: number;
  transfersIn: number;
  transfersOut: number;
  exits: number;
  lastMovementAt: string;
}

/** Where a journey is placed now, and what its placements did in each shelter. Codes only. */
export interface JourneyOccupancy {
  readonly journeyId: string;
  placement: { placementId: string; shelterId: string; since: string } | null;
  /** In the order the journey first came to each shelter. */
  shelters: ShelterMovements[];
}

/**
 * A placement fact as occupancy keeps it: the placement and shelter ids of its type, nothing more
 * (no note). `occupancyCodes` makes them; `evolveOccupancy` reads them.
 */
export type PlacementFact = Fact &
  (
    | {
        readonly type: 'ShelterAdmitted';
        readonly data: { placementId: string; shelterId: string };
      }
    | {
        readonly type: 'ShelterTransferred';
        readonly data: { placementId: string; shelterId: string; fromShelterId: string };
      }
    | { readonly type: 'ShelterExited'; readonly data: { placementId: string; shelterId: string } }
  );

type Kept = Pick<PlacementFact, 'type' | 'data'>;

/** The codes occupancy needs from a journey's shelter event; undefined for the others. */
export function occupancyCodes(event: ShelterEvent): Kept | undefined {
  switch (event.type) {
    case 'ShelterAdmitted': {
      const { placementId, shelter } = event.data;
      return { type: event.type, data: { placementId, shelterId: shelter.shelterId } };
    }
    case 'ShelterTransferred': {
      const { placementId, shelter, fromShelterId } = event.data;
      return {
        type: event.type,
        data: { placementId, shelterId: shelter.shelterId, fromShelterId },
      };
    }
    case 'ShelterExited': {
      const { placementId, shelterId } = event.data;
      return { type: event.type, data: { placementId, shelterId } };
    }
    default:
      return undefined;
  }
}

export const noOccupancy = (journeyId: string): JourneyOccupancy => ({
  journeyId,
  placement: null,
  shelters: [],
});

type Counter = 'admissions' | 'transfersIn' | 'transfersOut' | 'exits';

function count(
  shelters: readonly ShelterMovements[],
  shelterId: string,
  counter: Counter,
  at: string,
): ShelterMovements[] {
  const found = shelters.find((item) => item.shelterId === shelterId);
  const base: ShelterMovements = found ?? {
    shelterId,
    admissions: 0,
    transfersIn: 0,
    transfersOut: 0,
    exits: 0,
    lastMovementAt: at,
  };
  const next = {
    ...base,
    [counter]: base[counter] + 1,
    lastMovementAt: at > base.lastMovementAt ? at : base.lastMovementAt,
  };
  return found
    ? shelters.map((item) => (item.shelterId === shelterId ? next : item))
    : [...shelters, next];
}

/**
 * Folds one placement fact, as the placement decider does: an admission or a transfer places the
 * person, an exit ends the open placement.
 */
export function evolveOccupancy(state: JourneyOccupancy, fact: PlacementFact): JourneyOccupancy {
  const at = fact.occurredAt;
  switch (fact.type) {
    case 'ShelterAdmitted': {
      const { placementId, shelterId } = fact.data;
      return {
        ...state,
        placement: { placementId, shelterId, since: at },
        shelters: count(state.shelters, shelterId, 'admissions', at),
      };
    }
    case 'ShelterTransferred': {
      const { placementId, shelterId, fromShelterId } = fact.data;
      const left = count(state.shelters, fromShelterId, 'transfersOut', at);
      return {
        ...state,
        placement: { placementId, shelterId, since: at },
        shelters: count(left, shelterId, 'transfersIn', at),
      };
    }
    case 'ShelterExited':
      return {
        ...state,
        placement: null,
        shelters: count(state.shelters, fact.data.shelterId, 'exits', at),
      };
    default:
      return state;
  }
}

/** What the registry says of a shelter, as far as a batch of its events changed it. */
export interface RegistryChange {
  readonly shelterId: string;
  name?: string;
  operatorOrgId?: string;
  type?: string;
  capacity?: number;
  closed?: boolean;
  registeredAt?: string;
  changedAt: string;
}

/** One registry event of a shelter, in the current shape of its family. */
export type RegistryFact = ShelterRegistryEvent & {
  readonly shelterId: string;
  readonly occurredAt: string;
};

/** The registry events of a batch, in order, folded into one change per shelter. */
export function registryChanges(events: readonly RegistryFact[]): RegistryChange[] {
  const changes = new Map<string, RegistryChange>();
  for (const event of events) {
    // A read of the address changes nothing the registry says.
    if (event.type === 'ShelterAddressRead') continue;
    const { shelterId, occurredAt } = event;
    const change = changes.get(shelterId) ?? { shelterId, changedAt: occurredAt };
    if (occurredAt > change.changedAt) change.changedAt = occurredAt;
    switch (event.type) {
      case 'ShelterRegistered': {
        const { name, operatorOrgId, type, capacity } = event.data;
        Object.assign(change, {
          name,
          operatorOrgId,
          type,
          capacity,
          closed: false,
          registeredAt: occurredAt,
        });
        break;
      }
      case 'ShelterUpdated': {
        const { name, type, capacity } = event.data;
        if (name !== undefined) change.name = name;
        if (type !== undefined) change.type = type;
        if (capacity !== undefined) change.capacity = capacity;
        break;
      }
      case 'ShelterClosed':
        change.closed = true;
    }
    changes.set(shelterId, change);
  }
  return [...changes.values()];
}
