import type { EventData } from '@waypoint/contracts';

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
