/**
 * Field names that hold personal data or credentials somewhere in Waypoint's payloads. Bodies are
 * never logged, so this list is the second line: it catches a service that logs an object it
 * should not have (a command, a read-model row, a caught error's `details`). Matched without case.
 */
export const PERSONAL_FIELD_NAMES: readonly string[] = [
  // who someone is
  'name',
  'names',
  'firstName',
  'lastName',
  'middleName',
  'fullName',
  'givenName',
  'familyName',
  'alias',
  'aliases',
  'nickname',
  'dateOfBirth',
  'birthDate',
  'placeOfBirth',
  'nationalId',
  'passportNumber',
  'documentNumber',
  'identityDocument',
  'photo',
  // where they are and how to reach them
  'address',
  'street',
  'postalCode',
  'location',
  'coordinates',
  'latitude',
  'longitude',
  'email',
  'phone',
  'phoneNumber',
  'mobile',
  // what happened to them
  'health',
  'diagnosis',
  'medical',
  'notes',
  'note',
  'narrative',
  'rationale',
  'statement',
  'comment',
  // whole payloads and credentials
  'body',
  'payload',
  'password',
  'secret',
  'token',
  'accessToken',
  'refreshToken',
  'privateKey',
  'authorization',
  'cookie',
  'set-cookie',
];

export const CENSORED = '[REDACTED]';

/** Deeper than this, a logged value is dropped whole rather than inspected. */
const MAX_DEPTH = 12;

/**
 * Pino's path redaction costs grow with every wildcard path (listing these names at four depths
 * made each log line 80 times slower), and it has no "any depth". So the names are matched by a
 * walk over the logged object instead, copying only what it changes. `keep` names top-level keys
 * left alone because a serializer already reduces them to safe members (`req`, `res`, `err`):
 * walking a request object would walk its socket.
 */
export function createCensor(
  names: readonly string[],
  keep: ReadonlySet<string>,
): (object: Record<string, unknown>) => Record<string, unknown> {
  const personal = new Set(names.map((name) => name.toLowerCase()));

  function censor(value: unknown, depth: number, seen: Set<object>): unknown {
    if (typeof value !== 'object' || value === null) return value;
    if (value instanceof Date || value instanceof Map || value instanceof Set) return value;
    if (ArrayBuffer.isView(value)) return value;
    if (depth > MAX_DEPTH || seen.has(value)) return '[NOT LOGGED]';
    seen.add(value);
    try {
      if (Array.isArray(value)) {
        const items = value as readonly unknown[];
        let copy: unknown[] | undefined;
        items.forEach((item, index) => {
          const censored = censor(item, depth + 1, seen);
          if (censored !== item) {
            copy ??= [...items];
            copy[index] = censored;
          }
        });
        return copy ?? value;
      }
      return censorMembers(value as Record<string, unknown>, depth, seen, undefined);
    } finally {
      seen.delete(value);
    }
  }

  function censorMembers(
    record: Record<string, unknown>,
    depth: number,
    seen: Set<object>,
    skip: ReadonlySet<string> | undefined,
  ): Record<string, unknown> {
    let copy: Record<string, unknown> | undefined;
    for (const key of Object.keys(record)) {
      if (skip?.has(key) === true) continue;
      const item = record[key];
      const censored = personal.has(key.toLowerCase()) ? CENSORED : censor(item, depth + 1, seen);
      if (censored !== item) {
        copy ??= { ...record };
        copy[key] = censored;
      }
    }
    return copy ?? record;
  }

  return (object) => censorMembers(object, 0, new Set(), keep);
}
