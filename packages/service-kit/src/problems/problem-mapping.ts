import { DomainError, type DomainErrorKind } from '@waypoint/decider';
import { InvalidInputError, WrongExpectedRevisionError } from '@waypoint/eventstore';
import {
  HttpProblem,
  PROBLEMS,
  type FieldError,
  type ProblemCode,
  type ProblemExtras,
} from '../errors.js';
import { wordingOf, type ValidationIssue } from './validation-wording.js';

/** What the error handler needs to answer: everything but the request's own members. */
export interface ProblemDescription {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly extras: ProblemExtras;
  readonly headers: Readonly<Record<string, string>>;
  /** Nobody planned this error: it is logged with its stack and the caller learns nothing of it. */
  readonly unexpected: boolean;
}

function fromCatalogue(
  code: ProblemCode,
  detail: string,
  extras: ProblemExtras = {},
  headers: Readonly<Record<string, string>> = {},
): ProblemDescription {
  const { status, title } = PROBLEMS[code];
  return { status, code, title, detail, extras, headers, unexpected: false };
}

const INTERNAL: ProblemDescription = {
  ...fromCatalogue(
    'INTERNAL',
    'Something went wrong on our side. Quote the requestId if you report it.',
  ),
  unexpected: true,
};

/** A domain refusal keeps its own code; its kind picks the status and title. */
const DOMAIN_KINDS: Record<Exclude<DomainErrorKind, 'precondition'>, ProblemCode> = {
  conflict: 'CONFLICT',
  not_found: 'NOT_FOUND',
  forbidden: 'FORBIDDEN',
};

function fromDomain(error: DomainError): ProblemDescription {
  const extras: ProblemExtras = error.field === undefined ? {} : { field: error.field };
  if (error.kind === 'precondition') {
    return {
      status: 422,
      code: error.code,
      title: 'A precondition is not met',
      detail: error.message,
      extras,
      headers: {},
      unexpected: false,
    };
  }
  const { status, title } = PROBLEMS[DOMAIN_KINDS[error.kind]];
  return {
    status,
    code: error.code,
    title,
    detail: error.message,
    extras,
    headers: {},
    unexpected: false,
  };
}

/** Fastify's validation errors (from the zod compiler or any other) carry these two members. */
function validationOf(
  error: object,
): { issues: readonly ValidationIssue[]; context: string } | undefined {
  if (!('validation' in error) || !Array.isArray(error.validation)) return undefined;
  const context =
    'validationContext' in error && typeof error.validationContext === 'string'
      ? error.validationContext
      : 'body';
  return { issues: error.validation as ValidationIssue[], context };
}

function fieldOf(context: string, instancePath: string | undefined): string {
  const segments = (instancePath ?? '').split('/').filter((segment) => segment !== '');
  return [context, ...segments].join('.');
}

function fromValidation(issues: readonly ValidationIssue[], context: string): ProblemDescription {
  const errors: FieldError[] = issues.map((issue) => ({
    field: fieldOf(context, issue.instancePath),
    message: wordingOf(issue),
  }));
  const [first] = errors;
  if (first === undefined) return fromCatalogue('VALIDATION_FAILED', `The ${context} is not valid`);
  const more = errors.length > 1 ? ` (and ${String(errors.length - 1)} more)` : '';
  return fromCatalogue('VALIDATION_FAILED', `${first.field}: ${first.message}${more}`, {
    field: first.field,
    errors,
  });
}

/**
 * Fastify's own refusals, by code. Their messages are not reused: some quote the request
 * (`FST_ERR_BAD_URL` quotes the URL), and a URL may carry personal data.
 */
const FASTIFY_CODES: Readonly<Record<string, () => ProblemDescription>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () =>
    fromCatalogue('PAYLOAD_TOO_LARGE', 'The body is larger than this service accepts'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () =>
    fromCatalogue('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json'),
  FST_ERR_CTP_EMPTY_JSON_BODY: () =>
    fromCatalogue('INVALID_JSON', 'The body is empty but its content-type is application/json'),
  FST_ERR_CTP_INVALID_JSON_BODY: () => fromCatalogue('INVALID_JSON', 'The body is not valid JSON'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () =>
    fromCatalogue('BAD_REQUEST', 'The body does not match its Content-Length'),
  FST_ERR_BAD_URL: () => fromCatalogue('BAD_REQUEST', 'The URL is not validly encoded'),
};

function statusCodeOf(error: object): number | undefined {
  return 'statusCode' in error && typeof error.statusCode === 'number'
    ? error.statusCode
    : undefined;
}

/**
 * Classifies any thrown value once, in one place: the planned refusals become their problem,
 * everything else is INTERNAL. Only details written for callers are used; an unexpected error's
 * message may quote SQL or input and is never sent.
 */
export function describeError(error: unknown): ProblemDescription {
  if (error instanceof HttpProblem) {
    return fromCatalogue(error.code, error.detail, error.extras, error.headers);
  }
  if (error instanceof DomainError) return fromDomain(error);
  if (error instanceof WrongExpectedRevisionError) {
    const actual = error.actual === 'no_stream' ? null : error.actual;
    return fromCatalogue(
      'PRECONDITION_FAILED',
      `You sent If-Match for revision ${String(error.expected)}; the current revision is ${actual === null ? 'none (it does not exist)' : String(actual)}. Read it again and decide again.`,
      { expectedRevision: error.expected, actualRevision: actual },
    );
  }
  if (error instanceof InvalidInputError) {
    return {
      status: 400,
      code: error.code,
      title: PROBLEMS.VALIDATION_FAILED.title,
      detail: error.message,
      extras: { field: error.field },
      headers: {},
      unexpected: false,
    };
  }
  if (typeof error !== 'object' || error === null) return INTERNAL;
  const validation = validationOf(error);
  if (validation !== undefined) return fromValidation(validation.issues, validation.context);
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  const known = code === undefined ? undefined : FASTIFY_CODES[code];
  if (known !== undefined) return known();
  const status = statusCodeOf(error);
  if (code?.startsWith('FST_') === true && status !== undefined && status >= 400 && status < 500) {
    return fromCatalogue('BAD_REQUEST', 'The request could not be read');
  }
  return INTERNAL;
}

export { INTERNAL as INTERNAL_PROBLEM };
