import type { Decider } from '@waypoint/decider';
import type { JourneyCommand } from './commands.js';
import { decide } from './decide.js';
import { evolve } from './evolve.js';
import { initialState, type JourneyEvent, type JourneyState } from './state.js';

export const journeyDecider: Decider<JourneyCommand, JourneyEvent, JourneyState> = {
  decide,
  evolve,
  initialState,
};
