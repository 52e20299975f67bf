import type { FastifyInstance } from 'fastify';
import { HttpProblem } from '../errors.js';

/** Whether the service can serve now (its store answers, its read models are caught up). */
export type Readiness = () => Promise<boolean>;

const kitRoute = {
  schema: { hide: true },
  config: { access: { public: true } as const, rateLimit: false },
};

/**
 * `/health` says the process is alive (a restart would not help otherwise); `/ready` says it can
 * serve, so a balancer only sends traffic when it can. Both public and never rate limited, so
 * probes are not refused under load.
 */
export function installHealth(app: FastifyInstance, readiness: Readiness): void {
  app.get('/health', kitRoute, () => ({ status: 'ok' }));
  app.get('/ready', kitRoute, async (request) => {
    let ready = false;
    try {
      ready = await readiness();
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed');
    }
    if (!ready) throw new HttpProblem('NOT_READY', 'The service cannot serve requests yet');
    return { status: 'ready' };
  });
}
