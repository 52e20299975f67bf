import type { CareEvent, HistoryEntry } from '@waypoint/contracts';

/** A care event as read back: the id is known for stored events, not for ones just decided. */
export type CareStreamEvent = CareEvent & { readonly eventId?: string };

export interface PlanState {
  readonly planId: string;
  readonly objectiveIds: readonly string[];
}

/**
 * The events so far, newest first, as an immutable list: appending is O(1); it is turned into an
 * array only when a correction needs the whole of it.
 */
export type History =
  { readonly entry: HistoryEntry<CareStreamEvent>; readonly earlier: History } | undefined;

export function historyToArray(history: History): HistoryEntry<CareStreamEvent>[] {
  const entries: HistoryEntry<CareStreamEvent>[] = [];
  for (let cell = history; cell; cell = cell.earlier) entries.push(cell.entry);
  return entries.reverse();
}

interface CareRecord {
  readonly plans: readonly PlanState[];
  readonly authorisationIds: readonly string[];
  readonly deliveryIds: readonly string[];
  readonly history: History;
}

/** Assistance is given (or may start); a new plan or authorisation after an end resumes it. */
export interface AssistingState extends CareRecord {
  readonly status: 'assisting';
}

export interface EndedState extends CareRecord {
  readonly status: 'ended';
  readonly endedReason: string;
}

export type CareState = AssistingState | EndedState;

export const initialState = (): CareState => ({
  status: 'assisting',
  plans: [],
  authorisationIds: [],
  deliveryIds: [],
  history: undefined,
});
