import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { PROBLEMS, problemType } from '../errors.js';
import { pathOnly } from '../logging/logger.js';
import { PROBLEM_CONTENT_TYPE } from '../problems/problem.js';

/** One dependency's answer: `up`, or `down` with why (never a secret or personal data). */
export type CheckResult =
  | { readonly status: 'up'; readonly ms: number }
  | { readonly status: 'down'; readonly ms: number; readonly reason: string };

/** A dependency check: resolves (with anything) when the dependency can serve, rejects with why when not. */
export type ReadinessCheck = () => Promise<unknown>;

/**
 * Whether the service can serve now. Either a plain yes/no, or per dependency (`store`,
 * `broker`, `keyStore`, ...): then `/ready` names the ones that failed.
 */
export type Readiness = () => Promise<boolean | Readonly<Record<string, CheckResult>>>;

/** How long one check may take before it counts as down: a probe must answer within its own timeout. */
export const DEFAULT_CHECK_TIMEOUT_MS = 2_000;

function bounded(check: ReadinessCheck, timeoutMs: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`no answer within ${String(timeoutMs)} ms`));
    }, timeoutMs);
  });
  return Promise.race([check(), timeout]).finally(() => {
    clearTimeout(timer);
  });
}

/**
 * Runs every check at once, each bounded by `timeoutMs`: a hung dependency makes its own check
 * `down` instead of the probe itself timing out.
 */
export async function runChecks(
  checks: Readonly<Record<string, ReadinessCheck>>,
  timeoutMs = DEFAULT_CHECK_TIMEOUT_MS,
  now: () => number = () => performance.now(),
): Promise<Record<string, CheckResult>> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, CheckResult]> => {
      const started = now();
      const elapsed = (): number => Math.round(now() - started);
      try {
        await bounded(check, timeoutMs);
        return [name, { status: 'up', ms: elapsed() }];
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return [name, { status: 'down', ms: elapsed(), reason }];
      }
    }),
  );
  return Object.fromEntries(entries);
}

const kitConfig = { access: { public: true } as const, rateLimit: false };

const checkResult = z.object({
  status: z.enum(['up', 'down']),
  ms: z.number().int().describe('How long the check took'),
  reason: z.string().optional().describe('Why it is down'),
});

const healthRoute = {
  schema: {
    summary: 'Whether the process is alive (liveness probe)',
    tags: ['operations'],
    response: { 200: z.object({ status: z.literal('ok') }) },
  },
  config: kitConfig,
};

const readyRoute = {
  schema: {
    summary:
      'Whether the service can serve now (readiness probe); 503 NOT_READY names what is down',
    tags: ['operations'],
    response: {
      200: z.object({
        status: z.literal('ready'),
        checks: z
          .record(z.string(), checkResult)
          .optional()
          .describe('Each dependency (`store`, `broker`, ...) and its answer'),
      }),
    },
  },
  config: kitConfig,
};

function notReady(
  request: FastifyRequest,
  reply: FastifyReply,
  detail: string,
  checks?: Readonly<Record<string, CheckResult>>,
): FastifyReply {
  const { status, title } = PROBLEMS.NOT_READY;
  return reply
    .code(status)
    .type(PROBLEM_CONTENT_TYPE)
    .serializer((payload) => JSON.stringify(payload))
    .send({
      type: problemType('NOT_READY'),
      title,
      status,
      code: 'NOT_READY',
      detail,
      instance: pathOnly(request.url),
      requestId: request.id,
      ...(checks === undefined ? {} : { checks }),
    });
}

/**
 * `/health` says the process is alive (a restart would not help otherwise); `/ready` says it can
 * serve, so a balancer only sends traffic when it can: 200 `{status, checks}`, or a 503 problem
 * whose `detail` names the dependencies that failed and whose `checks` holds every answer. Both
 * public and never rate limited, so probes are not refused under load.
 */
export function installHealth(app: FastifyInstance, readiness: Readiness): void {
  app.get('/health', healthRoute, () => ({ status: 'ok' }));
  app.get('/ready', readyRoute, async (request, reply) => {
    let answer: Awaited<ReturnType<Readiness>> = false;
    try {
      answer = await readiness();
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed');
    }
    if (typeof answer === 'boolean') {
      if (!answer) return notReady(request, reply, 'The service cannot serve requests yet');
      return { status: 'ready' };
    }
    const down = Object.entries(answer).filter(([, result]) => result.status === 'down');
    if (down.length === 0) return { status: 'ready', checks: answer };
    const named = down.map(([name, result]) =>
      result.status === 'down' ? `${name} (${result.reason})` : name,
    );
    request.log.warn({ down: down.map(([name]) => name) }, 'not ready');
    return notReady(request, reply, `Not ready: ${named.join(', ')}`, answer);
  });
}
