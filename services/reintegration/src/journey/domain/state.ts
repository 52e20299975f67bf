import type { HistoryEntry, ReintegrationEvent } from '@waypoint/contracts';

/**
 * A reintegration event as the domain sees it. Read back from the store it carries its id (which
 * corrections and decisions refer to) and when it happened; just decided, it may carry only the
 * time the fact happened, if that was not when it was recorded.
 */
export type StoredEvent = ReintegrationEvent & {
  readonly eventId?: string;
  readonly occurredAt?: string;
};

/**
 * The events so far, newest first, as an immutable list: appending is O(1), so folding a long
 * stream stays linear. Corrections can retract or amend any earlier event, so what counts is
 * worked out from the whole history when deciding (see summary.ts), never kept incrementally.
 */
export type History =
  | {
      readonly entry: HistoryEntry<StoredEvent> & { readonly occurredAt: string };
      readonly earlier: History;
    }
  | undefined;

export interface ReintegrationState {
  readonly history: History;
}

export const initialState = (): ReintegrationState => ({ history: undefined });

export function evolve(state: ReintegrationState, event: StoredEvent): ReintegrationState {
  return {
    history: {
      entry: { eventId: event.eventId ?? '', event, occurredAt: event.occurredAt ?? '' },
      earlier: state.history,
    },
  };
}

export function historyToArray(
  history: History,
): (HistoryEntry<StoredEvent> & { readonly occurredAt: string })[] {
  const entries: (HistoryEntry<StoredEvent> & { readonly occurredAt: string })[] = [];
  for (let cell = history; cell; cell = cell.earlier) entries.push(cell.entry);
  return entries.reverse();
}
