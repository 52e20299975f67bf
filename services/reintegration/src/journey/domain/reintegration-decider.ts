import type { Decider } from '@waypoint/decider';
import type { ReintegrationCommand } from './commands.js';
import { decide } from './decide.js';
import { evolve } from './evolve.js';
import { initialState, type ReintegrationState, type StoredEvent } from './state.js';

export const reintegrationDecider: Decider<ReintegrationCommand, StoredEvent, ReintegrationState> =
  { decide, evolve, initialState };
