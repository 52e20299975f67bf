import type { ErasureEvent } from '@waypoint/contracts';
import type { Decider } from '@waypoint/decider';
import type { ErasureCommand } from './commands.js';
import { decide } from './decide.js';
import { evolve } from './evolve.js';
import { initialState, type ErasureState } from './state.js';

export const erasureDecider: Decider<ErasureCommand, ErasureEvent, ErasureState> = {
  decide,
  evolve,
  initialState,
};
