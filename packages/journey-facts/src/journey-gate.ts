import { canSeeJourney, NO_GRANTS, type Viewer } from './journey-access.js';
import type { OpenJourney } from './journey-state.js';
import { assertWorksOnJourney } from './write-access.js';

/**
 * Who may see and who may change the journeys a service knows from identification's facts,
 * without grants: the organisations that work on a journey and the data-protection officer.
 */
export interface JourneyGate {
  /** The journey if the viewer sees it at `at`; otherwise undefined: it does not exist for them. */
  visible(viewer: Viewer, journeyId: string, at: Date): Promise<OpenJourney | undefined>;
  /** Refuses (JOURNEY_READ_ONLY) a viewer who sees the journey without working on it. */
  assertWorksOn(journey: OpenJourney, viewer: Viewer, at: Date): void;
}

/** The gate over the journeys a service's consent projection keeps (`journeyFactsView`). */
export function journeyGate(journeys: {
  current(): Promise<ReadonlyMap<string, OpenJourney>>;
}): JourneyGate {
  return {
    async visible(viewer, journeyId, at) {
      const journey = (await journeys.current()).get(journeyId);
      if (!journey || !canSeeJourney(journey, viewer, NO_GRANTS, at.toISOString()))
        return undefined;
      return journey;
    },
    assertWorksOn: assertWorksOnJourney,
  };
}
