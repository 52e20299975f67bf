import type { ShelterRegistryEvent } from '@waypoint/contracts';
import { deciderSpec } from '@waypoint/decider/spec';
import { describe, it } from 'vitest';
import { registryDecider } from './registry-decider.js';

const spec = deciderSpec(registryDecider);
const registeredData = {
  shelterId: '01936d8e-0000-7000-8000-0000000000b1',
  operatorOrgId: '01936d8e-0000-7000-8000-0000000000a1',
  name: 'North House',
  type: 'long_stay',
  capacity: 12,
  childOnly: false,
  adultsOnly: true,
  secure: true,
  country: 'NL',
  address: { line1: 'Quay 1', city: 'Harbourtown' },
};
const registered: ShelterRegistryEvent = { type: 'ShelterRegistered', data: registeredData };
const closed: ShelterRegistryEvent = {
  type: 'ShelterClosed',
  data: { reasonCode: 'permanently_closed' },
};

describe('registry decider', () => {
  describe('given no shelter', () => {
    it('registers one', () => {
      spec.given([]).when({ type: 'RegisterShelter', data: registeredData }).then([registered]);
    });
    it('refuses one both child-only and adults-only', () => {
      spec
        .given([])
        .when({ type: 'RegisterShelter', data: { ...registeredData, childOnly: true } })
        .thenFails('SHELTER_POPULATION_CONFLICT', 'adultsOnly');
    });
    it('has nothing to change or close', () => {
      spec
        .given([])
        .when({ type: 'UpdateShelter', data: { capacity: 3 } })
        .thenFails('SHELTER_NOT_FOUND');
      spec
        .given([])
        .when({ type: 'CloseShelter', reasonCode: 'merged', occupied: 0 })
        .thenFails('SHELTER_NOT_FOUND');
    });
  });

  describe('given an open shelter', () => {
    it('refuses to register it again', () => {
      spec
        .given([registered])
        .when({ type: 'RegisterShelter', data: registeredData })
        .thenFails('SHELTER_ALREADY_EXISTS', 'shelterId');
    });
    it('changes some details, keeping the population coherent', () => {
      spec
        .given([registered])
        .when({ type: 'UpdateShelter', data: { capacity: 20 } })
        .then([{ type: 'ShelterUpdated', data: { capacity: 20 } }]);
      spec
        .given([registered])
        .when({ type: 'UpdateShelter', data: { childOnly: true } })
        .thenFails('SHELTER_POPULATION_CONFLICT');
      spec
        .given([registered])
        .when({ type: 'UpdateShelter', data: { childOnly: true, adultsOnly: false } })
        .then([{ type: 'ShelterUpdated', data: { childOnly: true, adultsOnly: false } }]);
      spec
        .given([registered])
        .when({ type: 'UpdateShelter', data: {} })
        .thenFails('NOTHING_TO_UPDATE');
    });
    it('closes it only when empty', () => {
      spec
        .given([registered])
        .when({ type: 'CloseShelter', reasonCode: 'merged', occupied: 2 })
        .thenFails('SHELTER_NOT_EMPTY');
      spec
        .given([registered])
        .when({ type: 'CloseShelter', reasonCode: 'merged', occupied: 0 })
        .then([{ type: 'ShelterClosed', data: { reasonCode: 'merged' } }]);
    });
  });

  describe('given a closed shelter', () => {
    it('changes and closes nothing more', () => {
      spec
        .given([registered, closed])
        .when({ type: 'UpdateShelter', data: { capacity: 3 } })
        .thenFails('SHELTER_CLOSED');
      spec
        .given([registered, closed])
        .when({ type: 'CloseShelter', reasonCode: 'merged', occupied: 0 })
        .thenFails('SHELTER_CLOSED');
    });
  });
});
