import type { AuditEvent } from '@waypoint/contracts';
import type { Decider } from '@waypoint/decider';
import type { FindingCommand } from './commands.js';
import { decide } from './decide.js';
import { evolve } from './evolve.js';
import { initialState, type FindingReviews } from './state.js';

/** The reviews of a journey's findings, over its audit stream (`audit-<journeyId>`). */
export const findingLifecycle: Decider<FindingCommand, AuditEvent, FindingReviews> = {
  decide,
  evolve,
  initialState,
};
