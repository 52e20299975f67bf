import type { Decider } from '@waypoint/decider';
import type { LegalCommand } from './commands.js';
import { decide } from './decide.js';
import { evolve } from './evolve.js';
import { initialState, type LegalState, type LegalStreamEvent } from './state.js';

export const legalDecider: Decider<LegalCommand, LegalStreamEvent, LegalState> = {
  decide,
  evolve,
  initialState,
};
