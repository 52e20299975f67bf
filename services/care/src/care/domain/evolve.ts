import { effectiveEvents } from '@waypoint/contracts';
import { historyToArray } from '@waypoint/decider';
import {
  initialState,
  type AssistingState,
  type CareState,
  type CareStreamEvent,
} from './state.js';

/** A plan or an authorisation (re)starts assistance. */
function assisting(
  state: CareState,
  changes: Partial<Pick<AssistingState, 'plans' | 'authorisationIds'>>,
): AssistingState {
  const { plans, authorisationIds, deliveryIds, history } = state;
  return { status: 'assisting', plans, authorisationIds, deliveryIds, history, ...changes };
}

/** The effect of one event that is not a correction. */
function apply(state: CareState, event: CareStreamEvent): CareState {
  switch (event.type) {
    case 'CarePlanCreated':
      return assisting(state, {
        plans: [...state.plans, { planId: event.data.planId, objectiveIds: [] }],
      });
    case 'CareObjectiveAdded': {
      const { planId, objectiveId } = event.data;
      return assisting(state, {
        plans: state.plans.map((plan) =>
          plan.planId === planId
            ? { ...plan, objectiveIds: [...plan.objectiveIds, objectiveId] }
            : plan,
        ),
      });
    }
    case 'CareAuthorised':
      return assisting(state, {
        authorisationIds: [...state.authorisationIds, event.data.authorisationId],
      });
    case 'CareDelivered':
      return { ...state, deliveryIds: [...state.deliveryIds, event.data.deliveryId] };
    case 'AssistanceEnded':
      return { ...state, status: 'ended', endedReason: event.data.reason };
    case 'CareObjectiveProgressRecorded':
    case 'EventRetracted':
    case 'EventAmended':
      return state;
  }
}

/**
 * Folds one event. A correction changes the meaning of history, so the state is rebuilt from the
 * effective events; every other event applies incrementally.
 */
export function evolve(state: CareState, event: CareStreamEvent): CareState {
  const history = { entry: { eventId: event.eventId ?? '', event }, earlier: state.history };
  if (event.type === 'EventRetracted' || event.type === 'EventAmended') {
    const rebuilt = effectiveEvents(historyToArray(history)).reduce(apply, initialState());
    return { ...rebuilt, history };
  }
  return { ...apply(state, event), history };
}
