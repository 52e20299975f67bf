import { BlindIndex, keyCachePurge, parseRetentionPolicy } from '@waypoint/privacy';
import {
  secretOf,
  startDistributedService,
  type DistributedService,
  type LogDestination,
} from '@waypoint/runtime';
import { IDENTIFICATION_REDACT_PATHS, registerIdentification } from './app.js';
import type { IdentificationConfig } from './config.js';
import type { IdentificationDeps } from './deps.js';
import { organisationDirectory } from './directory/organisation-directory.js';
import type { ErasureRuntime } from './erasure/api.js';
import { reapplyErasures } from './erasure/reapply-erasures.js';
import { registerErasure } from './erasure/register.js';
import { personIndex } from './person/person-index.js';

export { identificationConfigSchema, type IdentificationConfig } from './config.js';

/** The identification service of the distributed mode, and its erasure workflow. */
export interface DistributedIdentification extends DistributedService {
  readonly erasure: ErasureRuntime;
}

/**
 * The identification service on its own: it owns the journeys and the person registry, so it
 * needs no one else's facts; its events go to `waypoint.identification.v1` (and the organisation
 * directory, curated, to the integration topic) when Kafka is on. It runs the erasure workflow:
 * its own purge in process, the other services' confirmations over HTTP (their erasure duty).
 */
export async function startDistributedIdentification(
  config: IdentificationConfig,
  logDestination?: LogDestination,
): Promise<DistributedIdentification> {
  const blindIndex = BlindIndex.fromConfig(
    await secretOf(config.BLIND_INDEX_KEY, config.BLIND_INDEX_KEY_FILE, 'BLIND_INDEX_KEY'),
  );
  const retention = parseRetentionPolicy(config.ERASURE_RETENTION);
  let erasure: ErasureRuntime | undefined;
  const service = await startDistributedService(
    {
      name: 'identification',
      redactPaths: IDENTIFICATION_REDACT_PATHS,
      register: async (app, { store, keyStore, cipher, now, newId }) => {
        // A key store restored from a backup may hold keys an erasure destroyed since: destroy
        // them again before anything is served (the app listens only once this returns).
        const reapplied = await reapplyErasures(store, keyStore);
        if (reapplied > 0)
          app.log.warn({ keys: reapplied }, 'key destructions of past erasures applied again');
        const deps: IdentificationDeps = {
          store,
          cipher,
          blindIndex,
          directory: organisationDirectory(store),
          persons: personIndex(store),
          now,
          newId,
          breakGlassMinutes: config.BREAK_GLASS_MINUTES,
        };
        await registerIdentification(app, deps);
        // What `registerIdentification` does with `deps.erasure`, kept apart to hold the runtime.
        erasure = await registerErasure(app, {
          ...deps,
          erasure: {
            keys: keyStore,
            localServices: ['identification'],
            purge: keyCachePurge(keyStore),
            retention,
            intervalMs: config.ERASURE_INTERVAL_MS,
          },
        });
      },
    },
    config,
    logDestination,
  );
  if (!erasure) throw new Error('identification: the erasure workflow was not registered');
  return { ...service, erasure };
}
