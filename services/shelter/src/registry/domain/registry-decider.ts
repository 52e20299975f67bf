import type { ShelterEventData, ShelterRegistryEvent } from '@waypoint/contracts';
import { DomainError, type Decider } from '@waypoint/decider';

type Registered = ShelterEventData<'ShelterRegistered'>;
type Profile = Pick<Registered, 'childOnly' | 'adultsOnly'>;

export type RegistryCommand =
  | { readonly type: 'RegisterShelter'; readonly data: Registered }
  | {
      readonly type: 'UpdateShelter';
      readonly data: ShelterEventData<'ShelterUpdated'>;
    }
  | {
      readonly type: 'CloseShelter';
      readonly reasonCode: ShelterEventData<'ShelterClosed'>['reasonCode'];
      /** Open placements in the shelter now. */
      readonly occupied: number;
    };

export type RegistryState =
  { readonly status: 'none' } | { readonly status: 'open' | 'closed'; readonly profile: Profile };

function evolve(state: RegistryState, event: ShelterRegistryEvent): RegistryState {
  switch (event.type) {
    case 'ShelterRegistered':
      return {
        status: 'open',
        profile: { childOnly: event.data.childOnly, adultsOnly: event.data.adultsOnly },
      };
    case 'ShelterUpdated':
      if (state.status === 'none') return state;
      return {
        ...state,
        profile: {
          childOnly: event.data.childOnly ?? state.profile.childOnly,
          adultsOnly: event.data.adultsOnly ?? state.profile.adultsOnly,
        },
      };
    case 'ShelterClosed':
      return state.status === 'none' ? state : { ...state, status: 'closed' };
    case 'ShelterAddressRead':
      return state;
  }
}

function assertPopulation(profile: Profile): void {
  if (profile.childOnly && profile.adultsOnly)
    throw new DomainError(
      'SHELTER_POPULATION_CONFLICT',
      'A shelter cannot be both child-only and adults-only',
      'precondition',
      'adultsOnly',
    );
}

function decide(command: RegistryCommand, state: RegistryState): ShelterRegistryEvent[] {
  if (command.type === 'RegisterShelter') {
    if (state.status !== 'none')
      throw new DomainError(
        'SHELTER_ALREADY_EXISTS',
        'This shelter id is taken',
        'conflict',
        'shelterId',
      );
    assertPopulation(command.data);
    return [{ type: 'ShelterRegistered', data: command.data }];
  }
  if (state.status === 'none')
    throw new DomainError('SHELTER_NOT_FOUND', 'No such shelter', 'not_found', 'shelterId');
  if (state.status === 'closed')
    throw new DomainError('SHELTER_CLOSED', 'The shelter is closed', 'conflict', 'shelterId');
  if (command.type === 'UpdateShelter') {
    if (Object.values(command.data).every((value) => value === undefined))
      throw new DomainError('NOTHING_TO_UPDATE', 'No detail was given to change', 'precondition');
    assertPopulation({
      childOnly: command.data.childOnly ?? state.profile.childOnly,
      adultsOnly: command.data.adultsOnly ?? state.profile.adultsOnly,
    });
    return [{ type: 'ShelterUpdated', data: command.data }];
  }
  if (command.occupied > 0)
    throw new DomainError(
      'SHELTER_NOT_EMPTY',
      `${String(command.occupied)} people are placed there: transfer or exit them first`,
      'conflict',
      'shelterId',
    );
  return [{ type: 'ShelterClosed', data: { reasonCode: command.reasonCode } }];
}

export const registryDecider: Decider<RegistryCommand, ShelterRegistryEvent, RegistryState> = {
  decide,
  evolve,
  initialState: () => ({ status: 'none' }),
};
