import type { Decider } from '@waypoint/decider';
import type { CareCommand } from './commands.js';
import { decide } from './decide.js';
import { evolve } from './evolve.js';
import { initialState, type CareState, type CareStreamEvent } from './state.js';

export const careDecider: Decider<CareCommand, CareStreamEvent, CareState> = {
  decide,
  evolve,
  initialState,
};
