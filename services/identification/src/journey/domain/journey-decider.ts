import type { Decider } from '@waypoint/decider';
import type { JourneyCommand } from './commands.js';
import { decide } from './decide.js';
import { evolveJourney as evolve } from '@waypoint/journey-facts';
import { initialState, type JourneyEvent, type JourneyState } from '@waypoint/journey-facts';

export const journeyDecider: Decider<JourneyCommand, JourneyEvent, JourneyState> = {
  decide,
  evolve,
  initialState,
};
