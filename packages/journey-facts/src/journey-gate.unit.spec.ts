import { describe, expect, it } from 'vitest';
import { evolve } from './evolve-journey.js';
import { journeyGate } from './journey-gate.js';
import { initialState, type OpenJourney } from './journey-state.js';

const ids = {
  journey: '0193c000-0000-7000-8000-000000000011',
  person: '0193c000-0000-7000-8000-000000000012',
  opener: '0193c000-0000-7000-8000-000000000013',
  stranger: '0193c000-0000-7000-8000-000000000014',
};

const journey = evolve(initialState(), {
  type: 'JourneyOpened',
  data: {
    journeyId: ids.journey,
    personId: ids.person,
    jurisdiction: 'NL',
    openedByOrgId: ids.opener,
  },
}) as OpenJourney;
const gate = journeyGate({ current: () => Promise.resolve(new Map([[ids.journey, journey]])) });
const at = new Date('2026-02-01T00:00:00.000Z');
const caseworker = { userId: 'u1', orgId: ids.opener, roles: ['caseworker'] };
const dpo = { userId: 'u2', orgId: ids.stranger, roles: ['data_protection_officer'] };
const stranger = { userId: 'u3', orgId: ids.stranger, roles: ['caseworker'] };

describe('journeyGate', () => {
  it('shows a journey to the organisation that works on it', async () => {
    await expect(gate.visible(caseworker, ids.journey, at)).resolves.toBe(journey);
  });

  it('shows nothing to a stranger, nor a journey it does not know', async () => {
    await expect(gate.visible(stranger, ids.journey, at)).resolves.toBeUndefined();
    await expect(gate.visible(caseworker, ids.person, at)).resolves.toBeUndefined();
  });

  it('lets one who sees a journey without working on it read, not change', async () => {
    await expect(gate.visible(dpo, ids.journey, at)).resolves.toBe(journey);
    expect(() => {
      gate.assertWorksOn(journey, dpo, at);
    }).toThrow(expect.objectContaining({ code: 'JOURNEY_READ_ONLY' }));
    expect(() => {
      gate.assertWorksOn(journey, caseworker, at);
    }).not.toThrow();
  });
});
