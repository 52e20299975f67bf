import type { ReintegrationState, StoredEvent } from './state.js';

/**
 * Folds one event: it only joins the history. What it means (open or closed, which assessments
 * count) is worked out when deciding, because a later correction may retract or amend it.
 */
export function evolve(state: ReintegrationState, event: StoredEvent): ReintegrationState {
  return {
    history: {
      entry: { eventId: event.eventId ?? '', event, occurredAt: event.occurredAt ?? '' },
      earlier: state.history,
    },
  };
}
