import type { EventData, PersonEvent } from '@waypoint/contracts';
import { DomainError, type Decider } from '@waypoint/decider';

export type PersonState =
  | { readonly status: 'none' }
  | {
      readonly status: 'registered';
      readonly personId: string;
      readonly registeredByOrgId: string;
      readonly openJourneyIds: readonly string[];
    };

export type PersonCommand =
  | { readonly type: 'RegisterPerson'; readonly data: EventData<'PersonRegistered'> }
  | {
      readonly type: 'OpenJourneyForPerson';
      readonly journeyId: string;
      readonly openedByOrgId: string;
      readonly jurisdiction: string;
      /** Required when another journey of the person is open. */
      readonly additionalJourneyReason: string | undefined;
    };

function decide(command: PersonCommand, state: PersonState): PersonEvent[] {
  switch (command.type) {
    case 'RegisterPerson':
      if (state.status !== 'none')
        throw new DomainError(
          'PERSON_ALREADY_REGISTERED',
          'This person id is taken',
          'conflict',
          'personId',
        );
      return [{ type: 'PersonRegistered', data: command.data }];
    case 'OpenJourneyForPerson': {
      if (state.status !== 'registered')
        throw new DomainError(
          'PERSON_NOT_FOUND',
          'No such person in the registry',
          'precondition',
          'personId',
        );
      const additional = state.openJourneyIds.length > 0;
      if (additional && command.additionalJourneyReason === undefined) {
        throw new DomainError(
          'JOURNEY_ALREADY_OPEN',
          'The person has an open journey; opening another needs an explicit reason',
          'conflict',
          'additionalJourneyReason',
        );
      }
      return [
        {
          type: 'PersonJourneyOpened',
          data: {
            ...(command.additionalJourneyReason === undefined
              ? {}
              : { additionalJourneyReason: command.additionalJourneyReason }),
            journeyId: command.journeyId,
            openedByOrgId: command.openedByOrgId,
            jurisdiction: command.jurisdiction,
            additional,
          },
        },
      ];
    }
  }
}

function evolve(state: PersonState, event: PersonEvent): PersonState {
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

export const personDecider: Decider<PersonCommand, PersonEvent, PersonState> = {
  decide,
  evolve,
  initialState: () => ({ status: 'none' }),
};
