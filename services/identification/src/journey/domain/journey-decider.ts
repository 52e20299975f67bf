import type { Decider } from '@waypoint/decider';
import {
  evolveJourney as evolve,
  initialState,
  type JourneyEvent,
  type JourneyState,
} from '@waypoint/journey-facts';
import type { JourneyCommand } from './commands.js';
import { decide } from './decide.js';

/** The journey's state and its fold are `@waypoint/journey-facts`': see ../README.md. */
export const journeyDecider: Decider<JourneyCommand, JourneyEvent, JourneyState> = {
  decide,
  evolve,
  initialState,
};
