import type { CommandContext } from '@waypoint/decider';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Principal } from '../auth/authenticator.js';
import { idempotent } from '../idempotency/idempotent.js';
import { traceparentOf } from '../observability/request-span.js';
import { parseIfMatch, setRevision } from './revision.js';

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

/** The ids of the events a request's commands appended, in order, kept while it runs. */
const appendedByRequest = new WeakMap<FastifyRequest, string[]>();

/** What every command answer carries beside its own fields. */
export const appendedEventIds = z
  .array(z.uuid())
  .describe(
    'The ids of the events this command appended, in order; empty when it changed nothing.',
  );

/** A command answer's schema: the route's own fields and the ids of the events appended. */
export function commandAnswer<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.object(shape).extend({ eventIds: appendedEventIds });
}

/**
 * Runs a command at most once per Idempotency-Key; a retry gets the first answer back. The answer
 * carries `eventIds`: the events the command appended through a `commandContext` of this request.
 */
export function runIdempotently<Body extends object>(
  request: FastifyRequest,
  reply: FastifyReply,
  work: () => Promise<HttpResult<Body>>,
): Promise<Body & { eventIds: string[] }> {
  return idempotent(request, reply, async () => {
    const eventIds: string[] = [];
    appendedByRequest.set(request, eventIds);
    try {
      const answer = await work();
      return send(reply, { ...answer, body: { ...answer.body, eventIds: [...eventIds] } });
    } finally {
      appendedByRequest.delete(request);
    }
  });
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
    appended: (eventIds) => {
      appendedByRequest.get(request)?.push(...eventIds);
    },
    ...(expectedRevision === undefined ? {} : { expectedRevision }),
    ...(traceparent === undefined ? {} : { traceparent }),
  };
}
