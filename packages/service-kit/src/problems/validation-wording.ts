/**
 * What a client reads for one offending field: what is expected, in words, instead of zod's raw
 * "Invalid input". Messages a schema wrote itself (`.regex(pattern, 'must be …')`, refinements)
 * are kept; only zod's defaults are reworded. Never quotes the value sent: it may be personal.
 */

/** One validation issue as Fastify hands it over (zod issue code as `keyword`, the rest in `params`). */
export interface ValidationIssue {
  readonly instancePath?: string;
  readonly message?: string;
  readonly keyword?: string;
  readonly params?: Readonly<Record<string, unknown>>;
}

/** A zod issue inside a union's `errors`: its own code, path and message. */
interface NestedIssue {
  readonly code?: string;
  readonly path?: readonly unknown[];
  readonly message?: string;
  readonly [key: string]: unknown;
}

const ZOD_DEFAULT = /^(Invalid |Too (small|big)|Unrecognized key)/;

const TYPES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  bigint: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array (a list)',
  date: 'a date',
  null: 'null',
  record: 'an object',
  tuple: 'an array (a list)',
};

const FORMATS: Readonly<Record<string, string>> = {
  uuid: 'a UUID (like 0192f0c4-7c1e-7a55-9a2f-5e0c1f4d2b3a)',
  guid: 'a UUID (like 0192f0c4-7c1e-7a55-9a2f-5e0c1f4d2b3a)',
  datetime: 'an ISO 8601 instant with Z or an offset (like 2025-03-01T09:30:00Z)',
  date: 'a day, YYYY-MM-DD (like 2025-03-01)',
  time: 'a time of day, HH:MM[:SS]',
  duration: 'an ISO 8601 duration (like P3D)',
  email: 'an email address',
  url: 'a URL',
  base64: 'base64 text',
  base64url: 'base64url text',
};

const UNITS: Readonly<Record<string, [string, string]>> = {
  string: ['character', 'characters'],
  array: ['item', 'items'],
  set: ['item', 'items'],
};

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function received(message: string | undefined): string | undefined {
  return /received (\w+)$/.exec(message ?? '')?.[1];
}

function typeNoun(expected: unknown): string {
  return typeof expected === 'string' ? (TYPES[expected] ?? expected) : 'another type';
}

function bound(params: Readonly<Record<string, unknown>>, side: 'minimum' | 'maximum'): string {
  const limit = params[side];
  const count = typeof limit === 'number' || typeof limit === 'bigint' ? Number(limit) : undefined;
  const origin = typeof params.origin === 'string' ? params.origin : '';
  const inclusive = params.inclusive !== false;
  const unit = UNITS[origin];
  const words = side === 'minimum' ? ['at least', 'more than'] : ['at most', 'fewer than'];
  const relation = inclusive ? words[0] : words[1];
  if (unit !== undefined && count !== undefined) {
    return `must have ${String(relation)} ${String(count)} ${count === 1 ? unit[0] : unit[1]}`;
  }
  const numeric = side === 'minimum' ? ['at least', 'greater than'] : ['at most', 'less than'];
  return `must be ${String(inclusive ? numeric[0] : numeric[1])} ${text(limit)}`;
}

/** What the value must be, as a noun phrase ("a UUID …"), for one issue; undefined when unknown. */
function expectation(
  code: string | undefined,
  params: Readonly<Record<string, unknown>>,
): string | undefined {
  switch (code) {
    case 'invalid_type':
      return typeNoun(params.expected);
    case 'invalid_value': {
      const values = Array.isArray(params.values)
        ? params.values.map((value) => JSON.stringify(value))
        : [];
      return values.length === 1 ? String(values[0]) : `one of ${values.join(', ')}`;
    }
    case 'invalid_format': {
      const format = typeof params.format === 'string' ? params.format : '';
      if (format === 'regex' || format === 'starts_with' || format === 'ends_with') {
        return `text matching ${text(params.pattern ?? params.prefix ?? params.suffix)}`;
      }
      return FORMATS[format] ?? `a valid ${format}`;
    }
    default:
      return undefined;
  }
}

function unionWording(params: Readonly<Record<string, unknown>>): string {
  const branches = Array.isArray(params.errors) ? (params.errors as unknown[]) : [];
  const forms = branches.flatMap((branch) => {
    const [first] = Array.isArray(branch) ? (branch as NestedIssue[]) : [];
    if (first === undefined || (first.path !== undefined && first.path.length > 0)) return [];
    const { code, ...rest } = first;
    if (!ZOD_DEFAULT.test(first.message ?? '')) return [first.message ?? ''];
    const form = expectation(code, rest);
    return form === undefined ? [] : [form];
  });
  const distinct = [...new Set(forms.filter((form) => form !== ''))];
  return distinct.length === 0
    ? 'does not match any accepted form'
    : `must be ${distinct.join(', or ')}`;
}

/** The message for one issue: the schema's own words, or what is expected in plain words. */
export function wordingOf(issue: ValidationIssue): string {
  const message = issue.message;
  if (message !== undefined && message !== '' && !ZOD_DEFAULT.test(message)) return message;
  const params = issue.params ?? {};
  switch (issue.keyword) {
    case 'invalid_type':
      return received(message) === 'undefined'
        ? `is required: ${typeNoun(params.expected)}`
        : `must be ${typeNoun(params.expected)}${received(message) === undefined ? '' : `, not ${String(received(message))}`}`;
    case 'invalid_value':
    case 'invalid_format':
      return `must be ${String(expectation(issue.keyword, params))}`;
    case 'invalid_union':
      return unionWording(params);
    case 'too_small':
      return bound(params, 'minimum');
    case 'too_big':
      return bound(params, 'maximum');
    case 'unrecognized_keys': {
      const keys = Array.isArray(params.keys) ? params.keys.map(text) : [];
      return `has fields this request does not accept: ${keys.join(', ')}`;
    }
    default:
      return message === undefined || message === '' ? 'is not valid' : message;
  }
}
