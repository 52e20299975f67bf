import type { JsonValue } from './types.js';

/**
 * RFC 8785 (JCS) canonical JSON for the values the store accepts: object keys sorted by UTF-16
 * code units (JavaScript's default sort), numbers and strings serialised as JSON.stringify does,
 * which is what JCS specifies. Written here because the `canonicalize` package's published types
 * do not match its CommonJS export under NodeNext resolution.
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  return `{${Object.keys(value)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] ?? null)}`)
    .join(',')}}`;
}
