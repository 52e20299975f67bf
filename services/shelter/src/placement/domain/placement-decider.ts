import type { Decider } from '@waypoint/decider';
import type { PlacementCommand } from './commands.js';
import { decide } from './decide.js';
import { evolve } from './evolve.js';
import { initialState, type PlacementEvent, type PlacementState } from './state.js';

export const placementDecider: Decider<PlacementCommand, PlacementEvent, PlacementState> = {
  decide,
  evolve,
  initialState,
};
