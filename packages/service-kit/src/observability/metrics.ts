import type { FastifyInstance } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { HttpProblem } from '../errors.js';

export interface ServiceMetrics {
  readonly registry: Registry;
  /** Every HTTP request, by method, route template (never the raw path) and status. */
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status_code'>;
  /** Time to append to the event store, by stream category and outcome (`ok`, `conflict`, `error`). */
  readonly eventAppendDuration: Histogram<'category' | 'outcome'>;
  /** Appends refused because another writer got there first (WrongExpectedRevision), by category. */
  readonly concurrencyConflicts: Counter<'category'>;
}

/**
 * The metrics every service shares, in the given registry. Each app has its own registry (not
 * prom-client's global one), so tests and the all-in-one process can hold several apps.
 */
export function serviceMetrics(registry: Registry): ServiceMetrics {
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration in seconds, by method, route template and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    eventAppendDuration: new Histogram({
      name: 'event_append_duration_seconds',
      help: 'Event store append latency in seconds, by stream category and outcome',
      labelNames: ['category', 'outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
    concurrencyConflicts: new Counter({
      name: 'event_append_concurrency_conflicts_total',
      help: 'Appends refused because the stream moved past the expected revision, by stream category',
      labelNames: ['category'],
      registers: [registry],
    }),
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's metrics; add a service's own to `metrics.registry`. */
    readonly metrics: ServiceMetrics;
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Whether an Authorization header carries the metrics credential. Both sides are hashed first so
 * the comparison takes the same time whatever the lengths.
 */
export function carriesMetricsCredential(
  authorization: string | undefined,
  credential: string,
): boolean {
  const match = /^Bearer (.+)$/.exec(authorization ?? '');
  if (match?.[1] === undefined) return false;
  return timingSafeEqual(digest(match[1]), digest(credential));
}

/**
 * Registers the metrics, times every request, and serves them at /metrics to a scraper that
 * shows the metrics credential (a bearer secret, not a user token: Prometheus'
 * `authorization.credentials_file`). The counts reveal activity (break-glass uses, exports,
 * breaches), so without a configured credential /metrics is not served at all.
 */
export function installMetrics(
  app: FastifyInstance,
  credential: string | undefined,
): ServiceMetrics {
  const metrics = serviceMetrics(new Registry());
  collectDefaultMetrics({ register: metrics.registry });
  app.decorate('metrics', metrics);
  app.addHook('onResponse', (request, reply, done) => {
    metrics.httpRequestDuration.observe(
      {
        method: request.method,
        // Unmatched requests share one label: raw paths would explode the series (and carry ids).
        route: request.routeOptions.url ?? 'unmatched',
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    done();
  });
  if (credential === undefined) return metrics;
  app.get(
    '/metrics',
    // Not a user route: the credential is checked here, not by the token authenticator.
    { schema: { hide: true }, config: { access: { public: true }, rateLimit: false } },
    async (request, reply) => {
      if (!carriesMetricsCredential(request.headers.authorization, credential)) {
        void reply.header('www-authenticate', 'Bearer realm="metrics"');
        throw new HttpProblem('UNAUTHENTICATED', 'The metrics credential is missing or wrong');
      }
      return reply
        .header('cache-control', 'no-store')
        .type(metrics.registry.contentType)
        .send(await metrics.registry.metrics());
    },
  );
  return metrics;
}
