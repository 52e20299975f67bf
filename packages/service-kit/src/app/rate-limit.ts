import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../auth/access.js';
import { HttpProblem } from '../errors.js';

export interface RateLimitOptions {
  /** Requests allowed per key and window. */
  readonly max: number;
  /** Window length in milliseconds. */
  readonly timeWindow: number;
  /**
   * While this answers true, no request is counted or refused: the embedded start enters its
   * demo data (thousands of requests a minute, injected, before the app listens) through the app
   * that then serves.
   */
  readonly paused?: () => boolean;
}

/**
 * Per user when the request authenticated one (several staff behind one office address must not
 * starve each other), else per client address. It runs as a route-level onRequest hook, after the
 * authentication hook and before a refused request is answered, so failed attempts count too.
 * Routes opt out with `config.rateLimit: false` (the health probes do).
 */
export async function installRateLimit(
  app: FastifyInstance,
  options: RateLimitOptions,
): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    max: options.max,
    timeWindow: options.timeWindow,
    hook: 'onRequest',
    ...(options.paused ? { allowList: options.paused } : {}),
    keyGenerator: (request) => {
      const principal = principalOf(request);
      return principal === undefined ? `address:${request.ip}` : `user:${principal.userId}`;
    },
    errorResponseBuilder: (_request, context) =>
      new HttpProblem(
        'RATE_LIMITED',
        `Too many requests: the limit is ${String(context.max)} per ${String(options.timeWindow / 1000)} s. Retry after the seconds in Retry-After.`,
      ),
  });
}
