import { createHash } from 'node:crypto';
import { canonicalJson } from '@waypoint/contracts';

/**
 * What makes two requests "the same request" for a key: method, URL (path and query) and the
 * validated body in canonical form. Only the hash is stored, never the body.
 */
export function requestFingerprint(method: string, url: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method}\n${url}\n${canonicalJson(body)}`)
    .digest('hex');
}
