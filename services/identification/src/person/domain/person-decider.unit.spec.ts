import type { EventData, PersonEvent } from '@waypoint/contracts';
import { deciderSpec } from '@waypoint/decider/spec';
import { describe, it } from 'vitest';
import type { PersonCommand } from './commands.js';
import { personDecider } from './person-decider.js';

const spec = deciderSpec(personDecider);
const ids = {
  person: '01936d8e-0000-7000-8000-000000000001',
  journey: '01936d8e-0000-7000-8000-000000000002',
  otherJourney: '01936d8e-0000-7000-8000-000000000003',
  ngo: '01936d8e-0000-7000-8000-0000000000a1',
};

const registration: EventData<'PersonRegistered'> = {
  personId: ids.person,
  identity: { givenName: 'Ana', familyName: 'Pop' },
  blindIndexes: { name: 'hmac-name' },
  gender: 'Feminine',
  ageBand: '21-23',
  child: 'no',
  citizenship: ['RO'],
  languages: ['ro'],
  registeredByOrgId: ids.ngo,
};
const registered: PersonEvent = { type: 'PersonRegistered', data: registration };
const register: PersonCommand = { type: 'RegisterPerson', data: registration };

const openJourney = (journeyId: string, additionalJourneyReason?: string): PersonCommand => ({
  type: 'OpenJourneyForPerson',
  journeyId,
  openedByOrgId: ids.ngo,
  jurisdiction: 'NL',
  additionalJourneyReason,
});
const journeyOpened: PersonEvent = {
  type: 'PersonJourneyOpened',
  data: { journeyId: ids.journey, openedByOrgId: ids.ngo, jurisdiction: 'NL', additional: false },
};

describe('person decider', () => {
  describe('given no person', () => {
    it('registers one', () => {
      spec.given([]).when(register).then([registered]);
    });

    it('opens no journey for a person not in the registry', () => {
      spec.given([]).when(openJourney(ids.journey)).thenFails('PERSON_NOT_FOUND', 'personId');
    });
  });

  describe('given a registered person', () => {
    it('refuses to register them again', () => {
      spec.given([registered]).when(register).thenFails('PERSON_ALREADY_REGISTERED', 'personId');
    });

    it('opens their first journey', () => {
      spec.given([registered]).when(openJourney(ids.journey)).then([journeyOpened]);
    });
  });

  describe('given a person with an open journey', () => {
    it('opens another only with a reason, marked as additional', () => {
      spec
        .given([registered, journeyOpened])
        .when(openJourney(ids.otherJourney))
        .thenFails('JOURNEY_ALREADY_OPEN', 'additionalJourneyReason');
      spec
        .given([registered, journeyOpened])
        .when(openJourney(ids.otherJourney, 'A second exploitation in another country'))
        .then([
          {
            type: 'PersonJourneyOpened',
            data: {
              additionalJourneyReason: 'A second exploitation in another country',
              journeyId: ids.otherJourney,
              openedByOrgId: ids.ngo,
              jurisdiction: 'NL',
              additional: true,
            },
          },
        ]);
    });
  });
});
