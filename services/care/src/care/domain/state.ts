import type { CareEvent, HistoryEntry } from '@waypoint/contracts';
import type { History } from '@waypoint/decider';

/** A care event as read back: the id is known for stored events, not for ones just decided. */
export type CareStreamEvent = CareEvent & { readonly eventId?: string };

export interface PlanState {
  readonly planId: string;
  readonly objectiveIds: readonly string[];
}

interface CareRecord {
  readonly plans: readonly PlanState[];
  readonly authorisationIds: readonly string[];
  readonly deliveryIds: readonly string[];
  /** Every event with its id, newest first: corrections are decided against all of it. */
  readonly history: History<HistoryEntry<CareStreamEvent>>;
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
