import {
  startDistributedParticipant,
  type DistributedParticipant,
  type LogDestination,
} from '@waypoint/runtime';
import { LEGAL_REDACT_PATHS, registerLegal } from './app.js';
import type { LegalConfig } from './config.js';
import { legalStatusProjection } from './read-models/status/status-projection.js';

export { legalConfigSchema, type LegalConfig } from './config.js';

/**
 * The legal service on its own: visibility and the person's id from the journeys' identification
 * facts (Kafka, or a shared store), its status read model from its own events, its events relayed.
 */
export async function startDistributedLegal(
  config: LegalConfig,
  logDestination?: LogDestination,
): Promise<DistributedParticipant> {
  return startDistributedParticipant(
    {
      name: 'legal',
      redactPaths: LEGAL_REDACT_PATHS,
      journeyFacts: true,
      projections: { list: [legalStatusProjection()], source: 'own-store' },
      register: (app, context) =>
        registerLegal(app, {
          store: context.store,
          cipher: context.cipher,
          journeys: context.journeys(),
          readModels: context.readModels(),
          now: context.now,
          newId: context.newId,
        }),
    },
    config,
    logDestination,
  );
}
