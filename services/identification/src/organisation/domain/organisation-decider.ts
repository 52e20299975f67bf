import type { EventData, OrganisationEvent } from '@waypoint/contracts';
import { DomainError, type Decider } from '@waypoint/decider';

export type OrganisationState =
  | { readonly status: 'none' }
  | { readonly status: 'registered'; readonly data: EventData<'OrganisationRegistered'> };

export type OrganisationCommand = {
  readonly type: 'RegisterOrganisation';
  readonly data: EventData<'OrganisationRegistered'>;
};

export const organisationDecider: Decider<
  OrganisationCommand,
  OrganisationEvent,
  OrganisationState
> = {
  decide(command, state) {
    if (state.status !== 'none')
      throw new DomainError(
        'ORGANISATION_ALREADY_REGISTERED',
        'This organisation id is taken',
        'conflict',
        'orgId',
      );
    return [{ type: 'OrganisationRegistered', data: command.data }];
  },
  evolve(_state, event) {
    return { status: 'registered', data: event.data };
  },
  initialState: () => ({ status: 'none' }),
};
