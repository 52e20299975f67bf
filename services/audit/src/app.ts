import type { FastifyInstance } from 'fastify';
import { auditRoutes } from './api.js';
import type { AuditDeps } from './deps.js';
import { registerFindingsMetrics } from './findings/findings-metrics.js';
import { FINDINGS_PROJECTION, sweepFindings } from './findings/findings-projection.js';
import { publishDigest } from './integrity/digests.js';

/** Request fields that may hold personal values: never logged. */
export const AUDIT_REDACT_PATHS = ['note'];

/**
 * Runs `work` every `intervalMs` (never when 0) until the app closes; one run at a time, and a
 * failure is logged, not thrown: the next run tries again.
 */
function every(
  app: FastifyInstance,
  intervalMs: number,
  name: string,
  work: () => Promise<unknown>,
): void {
  if (intervalMs <= 0) return;
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    running ??= work()
      .catch((error: unknown) => {
        app.log.error({ err: error }, `${name} failed`);
      })
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await running;
  });
}

/**
 * The audit service's routes and schedulers, registered on an app the service kit built: the
 * findings sweep (absence rules against the clock) and the signed digests. It never listens.
 */
export async function registerAudit(app: FastifyInstance, deps: AuditDeps): Promise<void> {
  deps.journeys.start();
  app.addHook('onClose', async () => {
    await deps.journeys.stop();
  });
  registerFindingsMetrics(app.metrics.registry, deps.readModels, deps.now);
  every(app, deps.sweepIntervalMs, 'findings sweep', async () => {
    const schema = await deps.readModels.schemaOf(FINDINGS_PROJECTION);
    await sweepFindings(deps.readModels.db, schema, deps.now().toISOString(), deps.profiles);
  });
  every(app, deps.digestIntervalMs, 'digest publication', () =>
    publishDigest(deps.store, deps.digests.log, deps.digests.keys, deps.now()),
  );
  await app.register(auditRoutes(deps));
}
