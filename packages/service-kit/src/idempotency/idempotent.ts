import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { principalOf } from '../auth/access.js';
import { HttpProblem } from '../errors.js';
import type { IdempotencyStore, JsonValue, StoredResponse } from './idempotency-store.js';
import { operationSeed, runOperation } from './operation.js';
import { requestFingerprint } from './request-fingerprint.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Where `idempotent()` keeps its records (createServiceApp's `idempotencyStore`). */
    readonly idempotencyStore: IdempotencyStore;
  }
}

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';

/** 1 to 200 visible ASCII characters: a UUID fits, and nothing that could hide in a log line. */
const KEY = /^[\x21-\x7e]{1,200}$/;
const KEY_MESSAGE = 'must be 1 to 200 visible ASCII characters (a UUID is a good key)';

/**
 * For a route's `headers` schema, so OpenAPI documents the header. `idempotent` checks it again,
 * so a route that does not declare it is just as safe.
 */
export const idempotencyKeyHeader = z
  .string()
  .regex(KEY, KEY_MESSAGE)
  .describe('Makes a retry safe: the same key and request replay the first answer.');

/** Headers a client acts on after a command: replayed with the body. */
const REPLAYED_HEADERS = ['etag', 'location'] as const;

/** The request's Idempotency-Key, undefined when absent, VALIDATION_FAILED when malformed. */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const key = request.headers[IDEMPOTENCY_KEY_HEADER];
  if (key === undefined) return undefined;
  if (typeof key === 'string' && KEY.test(key)) return key;
  const field = `headers.${IDEMPOTENCY_KEY_HEADER}`;
  throw new HttpProblem('VALIDATION_FAILED', `${field}: ${KEY_MESSAGE}`, {
    field,
    errors: [{ field, message: KEY_MESSAGE }],
  });
}

function responseOf(reply: FastifyReply, body: unknown): StoredResponse {
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = reply.getHeader(name);
    if (value !== undefined)
      headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  const json = body === undefined ? null : (JSON.parse(JSON.stringify(body)) as JsonValue);
  return { status: reply.statusCode, headers, body: json };
}

/**
 * Runs `work` (the command) at most once per Idempotency-Key. Without the header it just runs.
 *
 * - The scope is the caller's user id, the method and the route template: keys of different
 *   users or routes never meet.
 * - `work` sets the status and headers on `reply` and returns the body; it must not send.
 * - A 2xx answer is stored (status, ETag, Location, body) with a hash of the request. A retry of
 *   the same request gets it back with `Idempotent-Replayed: true`, and `work` does not run.
 * - The same key with another request: 422 IDEMPOTENCY_KEY_REUSED. While the first still runs:
 *   409 IDEMPOTENCY_KEY_IN_PROGRESS.
 * - A failure (thrown or non-2xx) is not stored: a retry runs again.
 * - `work` runs as an operation (`operation.ts`): the ids it makes through `operationNewId` are
 *   derived from the request and from when it was first claimed. A runner that dies between its
 *   append and its answer leaves the key claimed; once `claimTimeoutMs` has passed, a retry of
 *   the same request runs `work` again as a resumed operation, which through `resumableStore`
 *   sees each stream as the first run saw it, decides the same events with the same ids, and
 *   gets the first append's result back from the store (a replay, nothing written): the retry
 *   answers what the first run would have, with the same created ids.
 *
 * A replayed body is the first body as JSON, so routes using this return JSON-ready bodies.
 */
export async function idempotent<Body>(
  request: FastifyRequest,
  reply: FastifyReply,
  work: () => Promise<Body>,
): Promise<Body> {
  const key = idempotencyKeyOf(request);
  if (key === undefined) return work();
  const principal = principalOf(request);
  if (principal === undefined) {
    throw new Error('idempotent() needs an authenticated route: the key is scoped to the user');
  }
  const store = request.server.idempotencyStore;
  const scope = `${principal.userId} ${request.method} ${request.routeOptions.url ?? request.url}`;
  const requestHash = requestFingerprint(request.method, request.url, request.body);

  const claim = await store.claim(scope, key, requestHash);
  if (claim.outcome !== 'claimed') {
    if (claim.requestHash !== requestHash) {
      throw new HttpProblem(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was first used for a different request; use a new key for a new request',
      );
    }
    if (claim.outcome === 'in_progress') {
      throw new HttpProblem(
        'IDEMPOTENCY_KEY_IN_PROGRESS',
        'The first request with this Idempotency-Key has not finished; retry shortly',
        {},
        { 'retry-after': '1' },
      );
    }
    reply
      .code(claim.response.status)
      .headers(claim.response.headers)
      .header(REPLAYED_HEADER, 'true');
    // The body of the first answer to this very request, as it was stored.
    return claim.response.body as Body;
  }

  const operation = {
    seed: operationSeed(scope, key, requestHash),
    startedAt: claim.startedAt ?? Date.now(),
    resumed: claim.resumed ?? false,
  };
  if (operation.resumed) request.log.info('resuming an idempotent request whose first run ended');
  let body: Body;
  try {
    body = await runOperation(operation, work);
  } catch (error) {
    await store.release(scope, key, claim.token).catch((releaseError: unknown) => {
      request.log.warn({ err: releaseError }, 'could not release an idempotency claim');
    });
    throw error;
  }
  if (reply.sent) throw new Error('idempotent(): work must return the body, not send it');
  try {
    if (reply.statusCode >= 200 && reply.statusCode < 300) {
      await store.complete(scope, key, claim.token, responseOf(reply, body));
    } else {
      await store.release(scope, key, claim.token);
    }
  } catch (error) {
    // The command is done; answering 500 now would invite a retry that runs it twice. The key
    // stays claimed until claimTimeoutMs, then a retry of the same request runs again.
    request.log.error({ err: error }, 'could not store an idempotent response');
  }
  return body;
}
