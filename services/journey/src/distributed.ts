import {
  startDistributedParticipant,
  type DistributedParticipant,
  type LogDestination,
} from '@waypoint/runtime';
import { registerJourney } from './app.js';
import type { JourneyConfig } from './config.js';
import { JOURNEY_PROJECTION, journeyProjection } from './journey-projection.js';
import { JourneyReadModel } from './read-model.js';
import { DEFAULT_DUE_POLICY } from './summary/domain/due.js';

export { journeyConfigSchema, type JourneyConfig } from './config.js';

/**
 * The journey service on its own: its read model is built from every write service's events, from
 * their Kafka topics when Kafka is on and from the shared store otherwise; its access records go to
 * its own store (and its topic).
 */
export async function startDistributedJourney(
  config: JourneyConfig,
  logDestination?: LogDestination,
): Promise<DistributedParticipant> {
  return startDistributedParticipant(
    {
      name: 'journey',
      projections: { list: [journeyProjection(DEFAULT_DUE_POLICY)], source: 'services' },
      register: (app, context) => {
        const engine = context.readModels();
        return registerJourney(app, {
          store: context.store,
          cipher: context.cipher,
          readModel: new JourneyReadModel(engine.db, () => engine.schemaOf(JOURNEY_PROJECTION)),
          policy: DEFAULT_DUE_POLICY,
          now: context.now,
          newId: context.newId,
        });
      },
    },
    config,
    logDestination,
  );
}
