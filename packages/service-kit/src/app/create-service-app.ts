import helmet from '@fastify/helmet';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { installAccessControl } from '../auth/access.js';
import type { Authenticator } from '../auth/authenticator.js';
import type { IdempotencyStore } from '../idempotency/idempotency-store.js';
import { MemoryIdempotencyStore } from '../idempotency/memory-idempotency-store.js';
import { createLogger, type LoggerSetting } from '../logging/logger.js';
import { REQUEST_ID_HEADER, requestIdFor } from '../logging/request-id.js';
import { installMetrics } from '../observability/metrics.js';
import { installRequestSpans } from '../observability/request-span.js';
import { installProblemHandlers } from '../problems/problem-handler.js';
import { installHealth, type Readiness } from './health.js';
import { limitBodyDepth } from './limit-body-depth.js';
import { forbidCaching } from './no-store.js';
import { answerClientError } from './client-errors.js';
import { rejectClientCiphertext } from './reject-client-ciphertext.js';
import { drainConnectionsOnClose } from './listen.js';
import { installOpenApi } from './openapi.js';
import { installRateLimit, type RateLimitOptions } from './rate-limit.js';

export interface ServiceAppOptions {
  /** The service's name: OpenAPI title, `service` in every log line, the tracer's name. */
  readonly name: string;
  readonly version: string;
  readonly authenticator: Authenticator;
  /** Backs `/ready`. */
  readonly readiness: Readiness;
  /** Pino options, or a destination stream (tests capture the log this way). */
  readonly logger?: LoggerSetting;
  /** Largest body accepted, in bytes (default 65536); larger is 413. */
  readonly bodyLimit?: number;
  /** Per user (or client address), or `false` to switch rate limiting off. */
  readonly rateLimit: RateLimitOptions | false;
  /** The service's own personal-data log paths (pino redact syntax), on top of the default list. */
  readonly redactPaths?: readonly string[];
  /** Where `idempotent()` keeps its records; in memory by default. */
  readonly idempotencyStore?: IdempotencyStore;
  /**
   * The bearer secret a metrics scraper shows at /metrics. Without it /metrics is not served:
   * the counts reveal activity, so they are never public.
   */
  readonly metricsCredential?: string;
}

export type ServiceApp = FastifyInstance<
  Server,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export const DEFAULT_BODY_LIMIT = 65_536;

/**
 * The Fastify app every service starts from. Routes registered on it must declare
 * `config.access`; everything else (problem+json, OpenAPI, logging, metrics, tracing, health,
 * security headers, rate limits) is already in place. It never listens: see `listen`.
 */
export async function createServiceApp(options: ServiceAppOptions): Promise<ServiceApp> {
  const logger = createLogger({
    service: options.name,
    version: options.version,
    ...(options.logger === undefined ? {} : { setting: options.logger }),
    ...(options.redactPaths === undefined ? {} : { redactPaths: options.redactPaths }),
  });
  const app: FastifyInstance = Fastify<Server, IncomingMessage, ServerResponse>({
    loggerInstance: logger,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    genReqId: requestIdFor,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Requests Node's parser refuses (oversized headers, unknown methods) get problem+json too.
    clientErrorHandler: answerClientError,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // JSON only: a text/plain body on a JSON route is 415, not a confusing validation error.
  app.removeContentTypeParser('text/plain');
  installProblemHandlers(app);

  // Hook order matters: request id, then the span (it times everything), then authentication.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
  installRequestSpans(app, options);
  const access = installAccessControl(app, options.authenticator);
  await app.register(helmet, { global: true });
  if (options.rateLimit !== false) await installRateLimit(app, options.rateLimit);
  await installOpenApi(app, options);
  installHealth(app, options.readiness);
  limitBodyDepth(app);
  rejectClientCiphertext(app);
  installMetrics(app, options.metricsCredential);
  drainConnectionsOnClose(app);
  forbidCaching(app);
  app.decorate('idempotencyStore', options.idempotencyStore ?? new MemoryIdempotencyStore());

  // The kit's routes (health, metrics, docs) are in; from here every route must declare access.
  access.seal();
  return app.withTypeProvider<ZodTypeProvider>();
}
