/**
 * The one catalogue of problem codes a Waypoint service answers with. Clients branch on `code`,
 * so a code, once shipped, keeps its meaning and its status. The README's error table is this
 * list. A domain's own codes (from a `DomainError`) and the event store's input codes are not
 * listed here: they travel in `code` with the status of their kind (see `problem-mapping.ts`).
 */
export const PROBLEMS = {
  VALIDATION_FAILED: {
    status: 400,
    title: 'The request is not valid',
    when: 'A path parameter, query, header or body field fails its schema. `field` names the first offending field (`body.journeyId`, `headers.if-match`); `errors` lists every one.',
  },
  INVALID_JSON: {
    status: 400,
    title: 'The body is not valid JSON',
    when: 'The body is declared as JSON but is empty or cannot be parsed.',
  },
  BAD_REQUEST: {
    status: 400,
    title: 'The HTTP request is malformed',
    when: 'The request breaks HTTP itself (an unknown method, a malformed request line, a Content-Length that does not match the body, a badly encoded URL).',
  },
  UNAUTHENTICATED: {
    status: 401,
    title: 'Authentication is required',
    when: 'No bearer token, or one that does not verify (expired, bad signature, wrong issuer or audience, missing claim, unknown role, lifetime too long). `detail` names the reason. Sent with `WWW-Authenticate: Bearer`.',
  },
  FORBIDDEN: {
    status: 403,
    title: 'Not allowed',
    when: "None of the caller's roles may call this route.",
  },
  NOT_FOUND: {
    status: 404,
    title: 'Not found',
    when: 'No route matches the method and path.',
  },
  CONFLICT: {
    status: 409,
    title: 'Conflict with the current state',
    when: 'The state does not allow this now. A `DomainError` of kind `conflict` answers with its own code under this title.',
  },
  IDEMPOTENCY_KEY_IN_PROGRESS: {
    status: 409,
    title: 'A request with this Idempotency-Key is still running',
    when: 'A retry arrived while the first request with the same key is still in flight. Retry later.',
  },
  PRECONDITION_FAILED: {
    status: 412,
    title: 'The resource changed since you read it',
    when: 'The `If-Match` revision is not the current one (another writer got there first). `expectedRevision` and `actualRevision` say where each stands.',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    title: 'The body is too large',
    when: 'The body is larger than the service accepts (`BODY_LIMIT_BYTES`).',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    title: 'Unsupported media type',
    when: 'The body is not `application/json`.',
  },
  REQUEST_TIMEOUT: {
    status: 408,
    title: 'Request timeout',
    when: 'The request did not arrive completely within the server’s request timeout.',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    title: 'This Idempotency-Key was used for a different request',
    when: 'The same key came back with another method, URL or body. Use a fresh key for a new request.',
  },
  HEADERS_TOO_LARGE: {
    status: 431,
    title: 'Request headers too large',
    when: 'The request headers are larger than the server accepts (Node’s 16 KiB default). The connection is closed.',
  },
  RATE_LIMITED: {
    status: 429,
    title: 'Too many requests',
    when: 'The caller (the user, or the client address when there is none) went over the per-minute limit. `Retry-After` says when to try again.',
  },
  INTERNAL: {
    status: 500,
    title: 'Internal error',
    when: 'Anything unexpected. The body never carries the error itself; quote `requestId` to find it in the logs.',
  },
  NOT_READY: {
    status: 503,
    title: 'Not ready',
    when: '`/ready` while the service cannot serve yet (its store or read models are not available).',
  },
} as const satisfies Record<string, { status: number; title: string; when: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

export interface FieldError {
  /** Where the offending value is: `body.name`, `params.journeyId`, `headers.if-match`. */
  readonly field: string;
  readonly message: string;
}

/** Members a problem may carry besides the standard ones. */
export interface ProblemExtras {
  readonly field?: string;
  readonly errors?: readonly FieldError[];
  readonly expectedRevision?: number | string;
  readonly actualRevision?: number | null;
}

/**
 * An error that already knows its problem. Services throw it for refusals that are not the
 * domain's (the domain throws `DomainError`). `detail` is sent to the caller: it explains, and it
 * never contains personal data or a secret.
 */
export class HttpProblem extends Error {
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly extras: ProblemExtras = {},
    /** Response headers that belong to the problem (`WWW-Authenticate`, `Retry-After`). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
    this.status = PROBLEMS[code].status;
  }
}

export function problemType(code: string): string {
  return `urn:waypoint:problem:${code}`;
}
