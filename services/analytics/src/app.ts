import type { FastifyInstance } from 'fastify';
import type { AnalyticsDeps } from './deps.js';
import { analyticsRoutes } from './http/api.js';

/**
 * The analytics service's routes, registered on an app the service kit built. The app never
 * listens here: main.ts (or the all-in-one process) does. Analytics holds no personal data in
 * clear or encrypted, so there is nothing to redact beyond the kit's defaults.
 */
export async function registerAnalytics(app: FastifyInstance, deps: AnalyticsDeps): Promise<void> {
  await app.register(analyticsRoutes(deps));
}
