import type { PersonEvent } from '@waypoint/contracts';
import type { Decider } from '@waypoint/decider';
import type { PersonCommand } from './commands.js';
import { decide } from './decide.js';
import { evolve } from './evolve.js';
import { initialState, type PersonState } from './state.js';

export const personDecider: Decider<PersonCommand, PersonEvent, PersonState> = {
  decide,
  evolve,
  initialState,
};
