import { everyWhileListening } from '@waypoint/service-kit';
import type { FastifyInstance } from 'fastify';
import { auditRoutes } from './api.js';
import type { AuditDeps } from './deps.js';
import { registerFindingsMetrics } from './findings/findings-metrics.js';
import { FINDINGS_PROJECTION, sweepFindings } from './findings/findings-projection.js';
import { publishDigest } from './integrity/digests.js';

/** Request fields that may hold personal values: never logged. */
export const AUDIT_REDACT_PATHS = ['note'];

/**
 * The audit service's routes and schedulers, registered on an app the service kit built: the
 * findings sweep (absence rules against the clock) and the signed digests, which run from the
 * moment the app listens. It never listens itself.
 */
export async function registerAudit(app: FastifyInstance, deps: AuditDeps): Promise<void> {
  deps.journeys.start();
  app.addHook('onClose', async () => {
    await deps.journeys.stop();
  });
  registerFindingsMetrics(app.metrics.registry, deps.readModels, deps.now);
  everyWhileListening(app, deps.sweepIntervalMs, 'findings sweep', async () => {
    const schema = await deps.readModels.schemaOf(FINDINGS_PROJECTION);
    await sweepFindings(deps.readModels.db, schema, deps.now().toISOString(), deps.profiles);
  });
  everyWhileListening(app, deps.digestIntervalMs, 'digest publication', () =>
    publishDigest(deps.store, deps.digests.log, deps.digests.keys, deps.now()),
  );
  await app.register(auditRoutes(deps));
}
