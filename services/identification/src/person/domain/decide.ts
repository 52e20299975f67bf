import type { PersonEvent } from '@waypoint/contracts';
import { DomainError } from '@waypoint/decider';
import type { PersonCommand } from './commands.js';
import type { PersonState } from './state.js';

export function decide(command: PersonCommand, state: PersonState): PersonEvent[] {
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
