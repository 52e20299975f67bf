import type { HistoryEntry, ReintegrationEvent } from '@waypoint/contracts';
import type { History } from '@waypoint/decider';

/**
 * A reintegration event as the domain sees it. Read back from the store it carries its id (which
 * corrections and decisions refer to) and when it happened; just decided, it may carry only the
 * time the fact happened, if that was not when it was recorded.
 */
export type StoredEvent = ReintegrationEvent & {
  readonly eventId?: string;
  readonly occurredAt?: string;
};

/** An event of the history: with its id and when it happened. */
export type StoredEntry = HistoryEntry<StoredEvent> & { readonly occurredAt: string };

/**
 * The events so far. Corrections can retract or amend any earlier event, so what counts is
 * worked out from the whole history when deciding (see summary.ts), never kept incrementally.
 */
export interface ReintegrationState {
  readonly history: History<StoredEntry>;
}

export const initialState = (): ReintegrationState => ({ history: undefined });
