import type { LegalHoldEvent } from '@waypoint/contracts';
import type { Decider } from '@waypoint/decider';
import type { LegalHoldCommand } from './commands.js';
import { decide } from './decide.js';
import { evolve } from './evolve.js';
import { initialState, type LegalHoldState } from './state.js';

export const legalHoldDecider: Decider<LegalHoldCommand, LegalHoldEvent, LegalHoldState> = {
  decide,
  evolve,
  initialState,
};
