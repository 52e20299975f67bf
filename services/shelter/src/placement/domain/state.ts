import type { HistoryEntry, ShelterEvent } from '@waypoint/contracts';

/** A shelter event as read back: the id is known for stored events, not for ones just decided. */
export type PlacementEvent = ShelterEvent & { readonly eventId?: string };

/** The open placement of a journey. */
export interface Placement {
  readonly placementId: string;
  readonly shelterId: string;
  readonly freedomOfMovementRestricted: boolean;
  readonly reviewDate: string | undefined;
}

/** The events so far, newest first: appending is O(1); a correction turns it into an array. */
export type History =
  { readonly entry: HistoryEntry<PlacementEvent>; readonly earlier: History } | undefined;

export function historyToArray(history: History): HistoryEntry<PlacementEvent>[] {
  const entries: HistoryEntry<PlacementEvent>[] = [];
  for (let cell = history; cell; cell = cell.earlier) entries.push(cell.entry);
  return entries.reverse();
}

/** A journey in the shelter service: never placed, placed in one shelter, or placed before and exited. */
export type PlacementState =
  | { readonly status: 'never_placed'; readonly history: History }
  | { readonly status: 'placed'; readonly placement: Placement; readonly history: History }
  | { readonly status: 'exited'; readonly lastPlacementId: string; readonly history: History };

export const initialState = (): PlacementState => ({ status: 'never_placed', history: undefined });
