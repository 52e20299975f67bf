import { keyCachePurge } from '@waypoint/privacy';
import type { ServiceDefinition } from '@waypoint/runtime/service';
import { IDENTIFICATION_REDACT_PATHS, registerIdentification } from './app.js';
import type { BlindIndexer, IdentificationDeps } from './deps.js';
import { organisationDirectory } from './directory/organisation-directory.js';
import type { ErasureRuntime } from './erasure/api.js';
import type { ErasureDeps } from './erasure/deps.js';
import { reapplyErasures } from './erasure/reapply-erasures.js';
import { personIndex } from './person/person-index.js';

/** The identification service's settings: its secrets, break-glass, and the erasure workflow. */
export interface IdentificationSettings {
  readonly blindIndex: BlindIndexer;
  /** How long a break-glass opening lasts. */
  readonly breakGlassMinutes: number;
  /** The erasure workflow's settings; left out (the specs of the rest), its routes are not served. */
  readonly erasure?: Pick<ErasureDeps, 'localServices' | 'retention' | 'intervalMs'>;
}

/**
 * The identification service, as the distributed runtime, the embedded process and the specs
 * build it: the journeys, the person registry and the organisation directory are its own, and it
 * runs the erasure workflow through the process's key store. Its `register` returns the
 * workflow's runtime, when it serves one.
 */
export function identificationService(
  settings: IdentificationSettings,
): ServiceDefinition<IdentificationDeps, ErasureRuntime | undefined, 'identification'> {
  const { erasure } = settings;
  return {
    name: 'identification',
    redactPaths: IDENTIFICATION_REDACT_PATHS,
    // A key store restored from a backup may hold keys an erasure destroyed since: they are
    // destroyed again before anything is served.
    prepare: async (context, log) => {
      const reapplied = await reapplyErasures(context.store, context.keyStore);
      if (reapplied > 0)
        log.warn({ keys: reapplied }, 'key destructions of past erasures applied again');
    },
    deps: (context) => ({
      store: context.store,
      cipher: context.cipher,
      blindIndex: settings.blindIndex,
      directory: organisationDirectory(context.store),
      persons: personIndex(context.store),
      now: context.now,
      newId: context.newId,
      breakGlassMinutes: settings.breakGlassMinutes,
      ...(erasure === undefined
        ? {}
        : {
            erasure: {
              ...erasure,
              keys: context.keyStore,
              purge: keyCachePurge(context.keyStore),
            },
          }),
    }),
    register: registerIdentification,
  };
}
