import type { LegalHoldEvent } from '@waypoint/contracts';
import { deciderSpec } from '@waypoint/decider/spec';
import { describe, expect, it } from 'vitest';
import { legalHoldDecider } from './legal-hold-decider.js';
import { activeHolds, holdsCovering } from './state.js';

const spec = deciderSpec(legalHoldDecider);
const person = '01936d8e-0000-7000-8000-000000000002';
const holdId = '01936d8e-0000-7000-8000-0000000000f1';
const place = {
  type: 'PlaceLegalHold' as const,
  holdId,
  personId: person,
  basis: 'legal_claims' as const,
  categories: ['legal' as const, 'notes' as const],
};
const placed: LegalHoldEvent = {
  type: 'LegalHoldPlaced',
  data: { holdId, personId: person, basis: 'legal_claims', categories: ['legal', 'notes'] },
};
const lift = {
  type: 'LiftLegalHold' as const,
  holdId,
  personId: person,
  reasonCode: 'proceedings_concluded' as const,
};
const lifted: LegalHoldEvent = {
  type: 'LegalHoldLifted',
  data: { holdId, personId: person, reasonCode: 'proceedings_concluded' },
};

describe('a person with no hold', () => {
  it('gets a hold on the categories named', () => {
    spec.given([]).when(place).then([placed]);
  });
  it('has no hold to lift', () => {
    spec.given([]).when(lift).thenFails('LEGAL_HOLD_NOT_FOUND');
  });
});

describe('a person under a hold', () => {
  it('has the hold in force, covering its categories only', () => {
    const state = legalHoldDecider.evolve(legalHoldDecider.initialState(), placed);
    expect(activeHolds(state)).toEqual([
      { holdId, basis: 'legal_claims', categories: ['legal', 'notes'] },
    ]);
    expect(holdsCovering(activeHolds(state), ['health', 'identity'])).toEqual([]);
    expect(holdsCovering(activeHolds(state), ['identity', 'notes'])).toHaveLength(1);
  });
  it('cannot get the same hold twice', () => {
    spec.given([placed]).when(place).thenFails('LEGAL_HOLD_EXISTS', 'holdId');
  });
  it('has it lifted, once', () => {
    spec.given([placed]).when(lift).then([lifted]);
    spec.given([placed, lifted]).when(lift).thenFails('LEGAL_HOLD_ALREADY_LIFTED');
  });
  it('has no hold in force once it is lifted', () => {
    const state = [placed, lifted].reduce(legalHoldDecider.evolve, legalHoldDecider.initialState());
    expect(activeHolds(state)).toEqual([]);
  });
});
