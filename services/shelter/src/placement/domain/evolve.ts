import { effectiveEvents } from '@waypoint/contracts';
import { historyToArray } from '@waypoint/decider';
import { initialState, type PlacementEvent, type PlacementState } from './state.js';

/** The effect of one event that is not a correction. */
function apply(state: PlacementState, event: PlacementEvent): PlacementState {
  const { history } = state;
  switch (event.type) {
    case 'ShelterAdmitted':
    case 'ShelterTransferred':
      return {
        status: 'placed',
        placement: {
          placementId: event.data.placementId,
          shelterId: event.data.shelter.shelterId,
          freedomOfMovementRestricted: event.data.freedomOfMovementRestricted,
          reviewDate: event.data.restriction?.reviewDate,
        },
        history,
      };
    case 'ShelterExited':
      return { status: 'exited', lastPlacementId: event.data.placementId, history };
    case 'MovementRestrictionReviewed': {
      if (state.status !== 'placed' || state.placement.placementId !== event.data.placementId)
        return state;
      const continued = event.data.outcome === 'continued';
      return {
        ...state,
        placement: {
          ...state.placement,
          freedomOfMovementRestricted: continued,
          reviewDate: continued ? event.data.restriction?.reviewDate : undefined,
        },
      };
    }
    default:
      return state;
  }
}

/**
 * Folds one event. A correction changes the meaning of history, so the state is rebuilt from the
 * effective events; every other event applies incrementally.
 */
export function evolve(state: PlacementState, event: PlacementEvent): PlacementState {
  const history = { entry: { eventId: event.eventId ?? '', event }, earlier: state.history };
  if (event.type === 'EventRetracted' || event.type === 'EventAmended') {
    const rebuilt = effectiveEvents(historyToArray(history)).reduce(apply, initialState());
    return { ...rebuilt, history };
  }
  return { ...apply(state, event), history };
}
