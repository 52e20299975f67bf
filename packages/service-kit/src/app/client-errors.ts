import type { Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { PROBLEMS, problemType, type ProblemCode } from '../errors.js';
import { PROBLEM_CONTENT_TYPE } from '../problems/problem.js';

/** Node's HTTP parser failures that never reach a route, by the problem they are answered with. */
function problemCodeOf(error: NodeJS.ErrnoException): ProblemCode {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return 'HEADERS_TOO_LARGE';
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 'REQUEST_TIMEOUT';
    default:
      // HPE_INVALID_METHOD (an unknown HTTP method), a malformed request line, bad chunking...
      return 'BAD_REQUEST';
  }
}

const DETAILS: Partial<Record<ProblemCode, string>> = {
  HEADERS_TOO_LARGE: 'The request headers are larger than the server accepts',
  REQUEST_TIMEOUT: 'The request did not arrive in time',
  BAD_REQUEST: 'The request is not valid HTTP (an unknown method or a malformed request line)',
};

/**
 * The raw answer to a request Node's HTTP parser refused before Fastify saw it. It is
 * problem+json like every other refusal, and closes the connection: the parser's state is gone.
 * The error itself (which may echo request bytes) is never sent or logged.
 */
export function clientErrorResponse(error: NodeJS.ErrnoException): string {
  const code = problemCodeOf(error);
  const { status, title } = PROBLEMS[code];
  const body = JSON.stringify({
    type: problemType(code),
    title,
    status,
    code,
    detail: DETAILS[code] ?? title,
    instance: '',
    requestId: randomUUID(),
  });
  return [
    `HTTP/1.1 ${String(status)} ${title}`,
    `Content-Type: ${PROBLEM_CONTENT_TYPE}; charset=utf-8`,
    `Content-Length: ${String(Buffer.byteLength(body))}`,
    'Cache-Control: no-store',
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/** Fastify's `clientErrorHandler`: answers when the socket can still be written to. */
export function answerClientError(error: Error, socket: Socket): void {
  if (socket.destroyed) return;
  if (socket.writable && socket.bytesWritten === 0) {
    socket.end(clientErrorResponse(error));
  } else {
    socket.destroy(error);
  }
}
