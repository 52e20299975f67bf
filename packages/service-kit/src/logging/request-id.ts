import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * Hex digits and dashes only (UUIDs, trace ids, proxies' hex ids): an id the client chose ends up
 * in every log line of the request, so it must not be able to carry a name.
 */
const WELL_FORMED = /^[0-9A-Fa-f-]{8,64}$/;

/** The caller's `x-request-id` when it is well formed, so logs join across hops; else a new one. */
export function requestIdFor(raw: IncomingMessage): string {
  const given = raw.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && WELL_FORMED.test(given) ? given : randomUUID();
}
