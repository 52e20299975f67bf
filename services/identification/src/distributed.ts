import { BlindIndex } from '@waypoint/privacy';
import {
  secretOf,
  startDistributedService,
  type DistributedService,
  type LogDestination,
} from '@waypoint/runtime';
import { IDENTIFICATION_REDACT_PATHS, registerIdentification } from './app.js';
import type { IdentificationConfig } from './config.js';
import { organisationDirectory } from './directory/organisation-directory.js';
import { personIndex } from './person/person-index.js';

export { identificationConfigSchema, type IdentificationConfig } from './config.js';

/**
 * The identification service on its own: it owns the journeys and the person registry, so it
 * needs no one else's facts; its events go to `waypoint.identification.v1` (and the organisation
 * directory, curated, to the integration topic) when Kafka is on.
 */
export async function startDistributedIdentification(
  config: IdentificationConfig,
  logDestination?: LogDestination,
): Promise<DistributedService> {
  const blindIndex = BlindIndex.fromConfig(
    await secretOf(config.BLIND_INDEX_KEY, config.BLIND_INDEX_KEY_FILE, 'BLIND_INDEX_KEY'),
  );
  return startDistributedService(
    {
      name: 'identification',
      redactPaths: IDENTIFICATION_REDACT_PATHS,
      register: (app, { store, cipher, now, newId }) =>
        registerIdentification(app, {
          store,
          cipher,
          blindIndex,
          directory: organisationDirectory(store),
          persons: personIndex(store),
          now,
          newId,
          breakGlassMinutes: config.BREAK_GLASS_MINUTES,
        }),
    },
    config,
    logDestination,
  );
}
