import { BlindIndex, parseRetentionPolicy } from '@waypoint/privacy';
import {
  secretOf,
  startDistributedService,
  type DistributedService,
  type LogDestination,
} from '@waypoint/runtime';
import type { IdentificationConfig } from './config.js';
import type { ErasureRuntime } from './erasure/api.js';
import { identificationService } from './service.js';

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
  const service = await startDistributedService(
    identificationService({
      blindIndex,
      breakGlassMinutes: config.BREAK_GLASS_MINUTES,
      erasure: {
        localServices: ['identification'],
        retention: parseRetentionPolicy(config.ERASURE_RETENTION),
        intervalMs: config.ERASURE_INTERVAL_MS,
      },
    }),
    config,
    logDestination,
  );
  if (!service.registered)
    throw new Error('identification: the erasure workflow was not registered');
  return { ...service, erasure: service.registered };
}
