/**
 * RFC 8785 (JCS) canonical JSON: object keys sorted by UTF-16 code units (JavaScript's default
 * sort), numbers and strings serialised as `JSON.stringify` does, which is what JCS specifies. The
 * event store hashes it (the hash chain) and the idempotency layer fingerprints request bodies with
 * it, so one text must come out for one value however its keys were ordered.
 *
 * A JSON value gives its JCS text. Anything else is written as `JSON.stringify` would write it
 * inside a document: members whose value is undefined are left out, and undefined, functions,
 * symbols and bigints elsewhere become `null` (a parsed body never holds them; a stored event is
 * refused if it does). Written here rather than taken from the `canonicalize` package, whose
 * published types do not match its CommonJS export under NodeNext resolution.
 */
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
  return 'null';
}
