import { readModelsOf, type ServiceDefinition } from '@waypoint/runtime/service';
import { registerJourney } from './app.js';
import type { JourneyDeps } from './deps.js';
import { JOURNEY_PROJECTION, journeyProjection } from './journey-projection.js';
import { JourneyReadModel } from './read-model.js';
import { DEFAULT_DUE_POLICY } from './summary/domain/due.js';

/**
 * The journey service, as the distributed runtime, the embedded process and the specs build it:
 * its read model is built from every write service's events; its access records go to its store.
 */
export const journeyService: ServiceDefinition<JourneyDeps, void, 'journey'> = {
  name: 'journey',
  projections: { list: [journeyProjection(DEFAULT_DUE_POLICY)], source: 'services' },
  deps: (context) => {
    const engine = readModelsOf(context, 'journey');
    return {
      store: context.store,
      cipher: context.cipher,
      readModel: new JourneyReadModel(engine.db, () => engine.schemaOf(JOURNEY_PROJECTION)),
      policy: DEFAULT_DUE_POLICY,
      now: context.now,
      newId: context.newId,
    };
  },
  register: registerJourney,
};
