import type { HistoryEntry, ShelterEvent } from '@waypoint/contracts';
import type { History } from '@waypoint/decider';

/** A shelter event as read back: the id is known for stored events, not for ones just decided. */
export type PlacementEvent = ShelterEvent & { readonly eventId?: string };

/** The open placement of a journey. */
export interface Placement {
  readonly placementId: string;
  readonly shelterId: string;
  readonly freedomOfMovementRestricted: boolean;
  readonly reviewDate: string | undefined;
}

/** Every event with its id, newest first: corrections are decided against all of it. */
type PlacementHistory = History<HistoryEntry<PlacementEvent>>;

/** A journey in the shelter service: never placed, placed in one shelter, or placed before and exited. */
export type PlacementState =
  | { readonly status: 'never_placed'; readonly history: PlacementHistory }
  | { readonly status: 'placed'; readonly placement: Placement; readonly history: PlacementHistory }
  | {
      readonly status: 'exited';
      readonly lastPlacementId: string;
      readonly history: PlacementHistory;
    };

export const initialState = (): PlacementState => ({ status: 'never_placed', history: undefined });
