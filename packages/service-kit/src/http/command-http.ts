import type { CommandContext } from '@waypoint/decider';
import {
  idempotent,
  parseIfMatch,
  setRevision,
  traceparentOf,
  type Principal,
} from '@waypoint/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';

export type { Principal };

/** The verified caller of a route that declared roles. */
export function principalOf(request: FastifyRequest): Principal {
  return request.principal;
}

/** What a route answers: a status, a body, and the revision it produced or read (the ETag). */
export interface HttpResult<Body> {
  readonly status: number;
  readonly body: Body;
  readonly revision?: number;
}

export function result<Body>(status: number, body: Body, revision?: number): HttpResult<Body> {
  return revision === undefined ? { status, body } : { status, body, revision };
}

export function send<Body>(reply: FastifyReply, answer: HttpResult<Body>): Body {
  void reply.status(answer.status);
  if (answer.revision !== undefined) setRevision(reply, answer.revision);
  return answer.body;
}

/** Runs a command at most once per Idempotency-Key; a retry gets the first answer back. */
export function runIdempotently<Body>(
  request: FastifyRequest,
  reply: FastifyReply,
  work: () => Promise<HttpResult<Body>>,
): Promise<Body> {
  return idempotent(request, reply, async () => send(reply, await work()));
}

/**
 * The envelope of the events a request produces: the caller as actor (acting in their first role),
 * the request id as correlation and causation, the trace context, and If-Match as the expected revision.
 */
export function commandContext(request: FastifyRequest, now: Date): CommandContext {
  const principal = request.principal;
  const expectedRevision = parseIfMatch(request);
  const traceparent = traceparentOf(request);
  return {
    actor: {
      userId: principal.userId,
      role: principal.roles[0] ?? 'unknown',
      orgId: principal.orgId,
    },
    correlationId: request.id,
    causationId: request.id,
    now,
    ...(expectedRevision === undefined ? {} : { expectedRevision }),
    ...(traceparent === undefined ? {} : { traceparent }),
  };
}
