import { ERASURE_SERVICES } from '@waypoint/contracts';
import { everyWhileListening } from '@waypoint/service-kit';
import type { FastifyInstance } from 'fastify';
import type { IdentificationDeps } from '../deps.js';
import { erasureRoutes, type ErasureRuntime } from './api.js';
import type { ErasureDeps } from './deps.js';
import { ErasureDuties } from './duties.js';
import { erasureLedger } from './erasure-ledger.js';
import { ErasureWorkflow } from './workflow.js';

/**
 * The erasure workflow's routes, its ledger and its duties on a timer (while the app listens). Registered by
 * `registerIdentification` when its deps carry `erasure`; exported for a process (or a test) that
 * serves the workflow apart from the rest of the service.
 */
export async function registerErasure(
  app: FastifyInstance,
  deps: IdentificationDeps & { readonly erasure: ErasureDeps },
): Promise<ErasureRuntime> {
  const { erasure } = deps;
  const ledger = erasureLedger(deps.store).start();
  const workflow = new ErasureWorkflow({
    store: deps.store,
    keys: erasure.keys,
    ledger,
    services: erasure.services ?? ERASURE_SERVICES,
    newId: deps.newId,
  });
  const duties = new ErasureDuties({
    workflow,
    ledger,
    localServices: erasure.localServices,
    purge: erasure.purge,
    retention: erasure.retention,
    now: deps.now,
    newId: deps.newId,
  });
  const runDuties = (): void => {
    duties.run().catch((error: unknown) => {
      // The next run retries: every step is idempotent. The error names no personal data.
      app.log.error({ err: error }, 'erasure duties failed');
    });
  };
  // On a timer from the moment the app listens; a request kicks them at once (see `kick`).
  everyWhileListening(app, erasure.intervalMs, 'erasure duties', () => duties.run());
  app.addHook('onClose', async () => {
    await duties.run().catch(() => undefined);
    await ledger.stop();
  });
  const runtime: ErasureRuntime = {
    workflow,
    duties,
    ledger,
    kick: erasure.intervalMs > 0 ? runDuties : () => undefined,
  };
  await app.register(erasureRoutes(deps, runtime));
  return runtime;
}
