import { DomainError } from '@waypoint/decider';
import { worksOnJourney, type Viewer } from './journey-access.js';
import type { OpenJourney } from './journey-state.js';

/** The refusal of a command from a caller who may read the journey but not change it. */
export function journeyReadOnly(): DomainError {
  return new DomainError(
    'JOURNEY_READ_ONLY',
    'A break-glass opening, an auditor mandate or the data-protection officer role lets you read this journey, not change it',
    'forbidden',
  );
}

/**
 * Refuses a command from a caller who sees the journey without working on it (the
 * data-protection officer's role, an auditor's mandate, a break-glass opening): those let a
 * caller read a journey, never change it. Call it after the visibility check, which has already
 * answered 404 to a caller who does not see the journey at all.
 */
export function assertWorksOnJourney(journey: OpenJourney, viewer: Viewer, at: Date): void {
  if (!worksOnJourney(journey, viewer, at.toISOString())) throw journeyReadOnly();
}
