import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpProblem, problemType } from '../errors.js';
import { pathOnly } from '../logging/logger.js';
import { PROBLEM_CONTENT_TYPE, type Problem } from './problem.js';
import { INTERNAL_PROBLEM, describeError, type ProblemDescription } from './problem-mapping.js';

function problemBody(request: FastifyRequest, description: ProblemDescription): Problem {
  const { errors, ...extras } = description.extras;
  return {
    type: problemType(description.code),
    title: description.title,
    status: description.status,
    code: description.code,
    detail: description.detail,
    instance: pathOnly(request.url),
    requestId: request.id,
    ...extras,
    ...(errors === undefined ? {} : { errors: [...errors] }),
  };
}

function describeSafely(error: unknown): ProblemDescription {
  try {
    return describeError(error);
  } catch {
    // The handler must not throw: Fastify's fallback handler would send the error's message.
    return INTERNAL_PROBLEM;
  }
}

/** Answers with the problem. The body bypasses the route's response schema: a problem is never a 2xx body. */
export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  error: unknown,
): FastifyReply {
  const description = describeSafely(error);
  if (description.unexpected || description.status >= 500) {
    request.log.error({ err: error, code: description.code }, 'request failed');
  } else {
    request.log.info({ code: description.code, status: description.status }, 'request refused');
  }
  return reply
    .code(description.status)
    .headers(description.headers)
    .type(PROBLEM_CONTENT_TYPE)
    .serializer((payload) => JSON.stringify(payload))
    .send(problemBody(request, description));
}

/** One error handler and one not-found handler for the whole app: every refusal is problem+json. */
export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => sendProblem(request, reply, error));
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      request,
      reply,
      new HttpProblem('NOT_FOUND', 'No route matches this method and path'),
    ),
  );
}
