import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so that `{a, b}` and `{b, a}` are one request. */
export function canonicalJson(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${members.join(',')}}`;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return JSON.stringify(value);
  }
  // Functions, symbols and bigints have no JSON form; a parsed body never holds them.
  return 'null';
}

/**
 * What makes two requests "the same request" for a key: method, URL (path and query) and the
 * validated body in canonical form. Only the hash is stored, never the body.
 */
export function requestFingerprint(method: string, url: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method}\n${url}\n${canonicalJson(body)}`)
    .digest('hex');
}
