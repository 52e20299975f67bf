import type { ShelterEventData } from '@waypoint/contracts';
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

interface PlacementCodes {
  readonly placementId: string;
  readonly shelterId: string;
  readonly fromShelterId?: string;
}

/** The codes occupancy needs from a journey's shelter event; undefined for the others. */
export function occupancyCodes(type: string, data: unknown): Record<string, unknown> | undefined {
  switch (type) {
    case 'ShelterAdmitted': {
      const admitted = data as ShelterEventData<'ShelterAdmitted'>;
      return { placementId: admitted.placementId, shelterId: admitted.shelter.shelterId };
    }
    case 'ShelterTransferred': {
      const transferred = data as ShelterEventData<'ShelterTransferred'>;
      return {
        placementId: transferred.placementId,
        shelterId: transferred.shelter.shelterId,
        fromShelterId: transferred.fromShelterId,
      };
    }
    case 'ShelterExited': {
      const exited = data as ShelterEventData<'ShelterExited'>;
      return { placementId: exited.placementId, shelterId: exited.shelterId };
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
export function evolveOccupancy(state: JourneyOccupancy, fact: Fact): JourneyOccupancy {
  const codes = fact.data as unknown as PlacementCodes;
  const at = fact.occurredAt;
  switch (fact.type) {
    case 'ShelterAdmitted':
      return {
        ...state,
        placement: { placementId: codes.placementId, shelterId: codes.shelterId, since: at },
        shelters: count(state.shelters, codes.shelterId, 'admissions', at),
      };
    case 'ShelterTransferred': {
      const from = codes.fromShelterId ?? state.placement?.shelterId;
      const left =
        from === undefined ? state.shelters : count(state.shelters, from, 'transfersOut', at);
      return {
        ...state,
        placement: { placementId: codes.placementId, shelterId: codes.shelterId, since: at },
        shelters: count(left, codes.shelterId, 'transfersIn', at),
      };
    }
    case 'ShelterExited':
      return {
        ...state,
        placement: null,
        shelters: count(state.shelters, codes.shelterId, 'exits', at),
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

const REGISTRY_CHANGES = new Set(['ShelterRegistered', 'ShelterUpdated', 'ShelterClosed']);

/** The registry events of a batch, in order, folded into one change per shelter. */
export function registryChanges(
  events: readonly { shelterId: string; type: string; data: unknown; occurredAt: string }[],
): RegistryChange[] {
  const changes = new Map<string, RegistryChange>();
  for (const { shelterId, type, data, occurredAt } of events) {
    if (!REGISTRY_CHANGES.has(type)) continue;
    const change = changes.get(shelterId) ?? { shelterId, changedAt: occurredAt };
    if (occurredAt > change.changedAt) change.changedAt = occurredAt;
    if (type === 'ShelterRegistered') {
      const registered = data as ShelterEventData<'ShelterRegistered'>;
      Object.assign(change, {
        name: registered.name,
        operatorOrgId: registered.operatorOrgId,
        type: registered.type,
        capacity: registered.capacity,
        closed: false,
        registeredAt: occurredAt,
      });
    } else if (type === 'ShelterUpdated') {
      const updated = data as ShelterEventData<'ShelterUpdated'>;
      if (updated.name !== undefined) change.name = updated.name;
      if (updated.type !== undefined) change.type = updated.type;
      if (updated.capacity !== undefined) change.capacity = updated.capacity;
    } else change.closed = true;
    changes.set(shelterId, change);
  }
  return [...changes.values()];
}
