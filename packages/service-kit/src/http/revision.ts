import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { HttpProblem } from '../errors.js';

/** A strong ETag holding a stream revision: `"0"`, `"12"`. */
const REVISION_ETAG = /^"(0|[1-9][0-9]{0,14})"$/;

const IF_MATCH_MESSAGE =
  'must be the ETag of a revision you read, like "3" (one strong ETag, not * or a list)';

/**
 * For a route's `headers` schema, so OpenAPI documents the header. `parseIfMatch` checks it
 * again, so a route that does not declare it is just as safe.
 */
export const ifMatchHeader = z
  .string()
  .regex(REVISION_ETAG, IF_MATCH_MESSAGE)
  .describe('The ETag of the revision the command is based on; 412 if the journey has moved on.');

/** The ETag of a journey resource at a revision: strong, because revisions are exact. */
export function revisionEtag(revision: number): string {
  return `"${String(revision)}"`;
}

/** Sets the ETag of the revision a command produced or a read returned. */
export function setRevision(reply: FastifyReply, revision: number): FastifyReply {
  return reply.header('etag', revisionEtag(revision));
}

/**
 * The revision the client based its command on (from `If-Match`), or undefined when it sent none.
 * A malformed header is a VALIDATION_FAILED on `headers.if-match`, never silently ignored: the
 * client meant to pin a revision.
 */
export function parseIfMatch(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined) return undefined;
  const match = typeof header === 'string' ? REVISION_ETAG.exec(header.trim()) : null;
  if (match?.[1] === undefined) {
    const field = 'headers.if-match';
    throw new HttpProblem('VALIDATION_FAILED', `${field}: ${IF_MATCH_MESSAGE}`, {
      field,
      errors: [{ field, message: IF_MATCH_MESSAGE }],
    });
  }
  return Number(match[1]);
}
