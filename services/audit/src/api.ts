import type { FastifyPluginAsyncZod, FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { accessLogRoutes } from './access-log/access-log-routes.js';
import { decisionRoutes } from './decisions/decision-routes.js';
import type { AuditDeps } from './deps.js';
import { findingReviewRoutes } from './findings/finding-review-routes.js';
import { findingsReadModelRoutes } from './findings/findings-read-model-routes.js';
import { findingsRoutes } from './findings/findings-routes.js';
import { integrityRoutes } from './integrity/integrity-routes.js';
import { reportRoutes } from './reports/report-routes.js';

/**
 * Every route of the audit service, one plugin per concern, registered in this order (the order
 * of the OpenAPI document). Every route is for auditors and supervisors only.
 */
export function auditRoutes(deps: AuditDeps): FastifyPluginAsyncZod {
  const concerns: readonly FastifyPluginCallbackZod[] = [
    findingsRoutes(deps),
    findingsReadModelRoutes(deps),
    findingReviewRoutes(deps),
    decisionRoutes(deps),
    integrityRoutes(deps),
    accessLogRoutes(deps),
    reportRoutes(deps),
  ];
  return async (app) => {
    for (const routes of concerns) await app.register(routes);
  };
}
