import type { PersonEvent } from '@waypoint/contracts';
import type { PersonState } from './state.js';

export function evolve(state: PersonState, event: PersonEvent): PersonState {
  switch (event.type) {
    case 'PersonRegistered':
      return {
        status: 'registered',
        personId: event.data.personId,
        registeredByOrgId: event.data.registeredByOrgId,
        openJourneyIds: [],
      };
    case 'PersonJourneyOpened':
      return state.status === 'registered'
        ? { ...state, openJourneyIds: [...state.openJourneyIds, event.data.journeyId] }
        : state;
  }
}
