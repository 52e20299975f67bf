/**
 * Runs autocannon in its own process, so that the load generator does not share an event loop
 * with the server it measures. Reads its plan as JSON from argv, prints the result as JSON.
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';

interface Plan {
  readonly url: string;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly method: 'GET' | 'POST';
  /** One path per connection: connection n uses paths[n % paths.length]. */
  readonly paths: readonly string[];
  readonly tokens: readonly string[];
  readonly body?: unknown;
  /** Send a fresh Idempotency-Key with every request. */
  readonly idempotencyKeys: boolean;
}

const plan = JSON.parse(process.argv[2] ?? '{}') as Plan;
let nextConnection = 0;
const result = await autocannon({
  url: plan.url,
  connections: plan.connections,
  duration: plan.durationSeconds,
  requests: [
    {
      method: plan.method,
      setupRequest: (request, context: { slot?: number }) => {
        context.slot ??= nextConnection++;
        const slot = context.slot;
        return {
          ...request,
          path: plan.paths[slot % plan.paths.length] ?? '/',
          headers: {
            authorization: `Bearer ${plan.tokens[slot % plan.tokens.length] ?? ''}`,
            'content-type': 'application/json',
            ...(plan.idempotencyKeys ? { 'idempotency-key': randomUUID() } : {}),
          },
          ...(plan.body === undefined ? {} : { body: JSON.stringify(plan.body) }),
        };
      },
    },
  ],
});
process.stdout.write(
  `${JSON.stringify({
    requestsPerSecond: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: result.statusCodeStats,
  })}\n`,
);
