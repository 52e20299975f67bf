import { z } from 'zod';
import { ifMatchHeader } from '../http/revision.js';
import { idempotencyKeyHeader } from '../idempotency/idempotent.js';
import { PROBLEM_CONTENT_TYPE, problemSchema } from '../problems/problem.js';
import { operationIdOf } from './operation-id.js';

/** The parts of an OpenAPI 3.1 document this module reads and writes; the rest passes through. */
type Json = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };

function headerSchema(schema: z.ZodType): Json {
  const {
    $schema: _dialect,
    description: _said,
    ...rest
  } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
  });
  return rest;
}

/** The request headers every command route reads (`commandContext`, `runIdempotently`). */
const COMMAND_HEADERS: Readonly<Record<string, Json>> = {
  IfMatch: {
    name: 'If-Match',
    in: 'header',
    required: false,
    description:
      'The ETag of the revision this command was decided on (`"3"`, from the last answer or read). When the stream moved on since, the answer is 412 PRECONDITION_FAILED with both revisions; without it the command applies to the current revision.',
    schema: headerSchema(ifMatchHeader),
    example: '"3"',
  },
  IdempotencyKey: {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description:
      'A fresh key (a UUID) per intended command, sent again on every retry of it: the command runs at most once and a retry gets the first answer back. Another request with a used key is 422 IDEMPOTENCY_KEY_REUSED.',
    schema: headerSchema(idempotencyKeyHeader),
    example: '0192f0c4-7c1e-7a55-9a2f-5e0c1f4d2b3a',
  },
};

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A schema is an encrypted-field envelope when it declares `$enc`: only the service makes those. */
function isCiphertextSchema(schema: unknown): boolean {
  return isObject(schema) && isObject(schema.properties) && '$enc' in schema.properties;
}

/**
 * The schema without its encrypted-field branches: `sealed()` accepts an envelope in events, but
 * `reject-client-ciphertext` refuses one in a request, so a client is never told it may send one.
 */
export function withoutCiphertext(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutCiphertext);
  if (!isObject(schema)) return schema;
  const result: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    result[key] = withoutCiphertext(value);
  }
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const branches = result[keyword];
    if (!Array.isArray(branches)) continue;
    const kept = (branches as unknown[]).filter((branch) => !isCiphertextSchema(branch));
    if (kept.length === branches.length) continue;
    const { [keyword]: _dropped, ...rest } = result;
    const [only] = kept;
    return kept.length === 1 && isObject(only)
      ? { ...only, ...rest }
      : { ...rest, [keyword]: kept };
  }
  return result;
}

/** Formats that say all a pattern would: the pattern zod adds for them only repeats the format. */
const SELF_DESCRIBING_FORMATS = new Set(['uuid', 'date-time', 'date', 'email']);

/**
 * The schema without the noise zod adds: the regular expression behind `format: uuid` (and
 * date-time, date, email), and integer bounds that are only JavaScript's safe-integer range.
 * A client learns the same from the format and the type; the service still validates.
 */
export function withoutNoise(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutNoise);
  if (!isObject(schema)) return schema;
  const result: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'pattern' && SELF_DESCRIBING_FORMATS.has(String(schema.format))) continue;
    if (key === 'minimum' && value === Number.MIN_SAFE_INTEGER) continue;
    if (key === 'maximum' && value === Number.MAX_SAFE_INTEGER) continue;
    result[key] = withoutNoise(value);
  }
  return result;
}

function successSchemas(operation: Json): unknown[] {
  const responses = isObject(operation.responses) ? operation.responses : {};
  return Object.entries(responses)
    .filter(([status]) => status.startsWith('2'))
    .flatMap(([, response]) =>
      isObject(response) && isObject(response.content)
        ? Object.values(response.content).map((media) => (isObject(media) ? media.schema : {}))
        : [],
    );
}

/** Command routes answer with `eventIds` (`commandAnswer`): they read If-Match and Idempotency-Key. */
function isCommand(operation: Json): boolean {
  return successSchemas(operation).some(
    (schema) => isObject(schema) && isObject(schema.properties) && 'eventIds' in schema.properties,
  );
}

function withCommandHeaders(operation: Json): Json {
  if (!isCommand(operation)) return operation;
  const parameters: unknown[] = Array.isArray(operation.parameters) ? operation.parameters : [];
  const declared = new Set(
    parameters.flatMap((parameter) =>
      isObject(parameter) && parameter.in === 'header' && typeof parameter.name === 'string'
        ? [parameter.name.toLowerCase()]
        : [],
    ),
  );
  const added = Object.entries(COMMAND_HEADERS)
    .filter(([, header]) => !declared.has(String(header.name).toLowerCase()))
    .map(([id]) => ({ $ref: `#/components/parameters/${id}` }));
  return { ...operation, parameters: [...parameters, ...added] };
}

const PROBLEM_RESPONSE = { $ref: '#/components/responses/Problem' };

/** What a success answer is, in place of the generator's placeholder "Default Response". */
const SUCCESS: Readonly<Record<string, string>> = {
  '200': 'OK',
  '201': 'Created: the command was recorded',
  '202': 'Accepted: the work goes on after this answer',
  '204': 'No content',
};

/**
 * Every problem answer points at the one Problem response instead of repeating its schema, and a
 * route that answers problems says so for 4XX too (a client types its errors from both).
 */
function withProblemRef(operation: Json): Json {
  if (!isObject(operation.responses)) return operation;
  const responses: Json = {};
  let answersProblems = false;
  for (const [status, response] of Object.entries(operation.responses)) {
    const content = isObject(response) ? response.content : undefined;
    const isProblem = isObject(content) && PROBLEM_CONTENT_TYPE in content;
    answersProblems ||= isProblem;
    const placeholder = isObject(response) && response.description === 'Default Response';
    const described = SUCCESS[status];
    responses[status] = isProblem
      ? PROBLEM_RESPONSE
      : placeholder && described !== undefined
        ? { ...response, description: described }
        : response;
  }
  return {
    ...operation,
    responses: answersProblems ? { ...responses, '4XX': PROBLEM_RESPONSE } : responses,
  };
}

function withoutCiphertextInput(operation: Json): Json {
  const { requestBody, parameters } = operation;
  return {
    ...operation,
    ...(requestBody === undefined ? {} : { requestBody: withoutCiphertext(requestBody) }),
    ...(parameters === undefined ? {} : { parameters: withoutCiphertext(parameters) }),
  };
}

function finishOperation(method: string, path: string, operation: Json): Json {
  const named =
    typeof operation.operationId === 'string'
      ? operation
      : { operationId: operationIdOf(method, path), ...operation };
  return withProblemRef(withCommandHeaders(withoutCiphertextInput(withoutNoise(named) as Json)));
}

function problemComponent(): Json {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(problemSchema, {
    target: 'draft-2020-12',
    io: 'output',
  });
  return schema;
}

/**
 * The last pass over the generated document: stable operation ids (method + route template unless
 * the route names its own), the Problem schema as one component, the If-Match and Idempotency-Key
 * headers on command routes, and no encrypted-field envelope among the inputs.
 * Documentation only: validation and serialisation are untouched.
 */
export function finishDocument<Document extends object>(openapi: Document): Document {
  const document = openapi as Json;
  const paths = isObject(document.paths) ? document.paths : {};
  const finishedPaths: Json = {};
  const operationIds = new Map<string, string>();
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    const finished: Json = { ...item };
    for (const method of METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const done = finishOperation(method, path, operation);
      const id = String(done.operationId);
      const taken = operationIds.get(id);
      if (taken !== undefined) {
        throw new Error(`operationId ${id} names both ${taken} and ${method} ${path}`);
      }
      operationIds.set(id, `${method} ${path}`);
      finished[method] = done;
    }
    finishedPaths[path] = finished;
  }
  const components = isObject(document.components) ? document.components : {};
  const schemas = isObject(components.schemas) ? components.schemas : {};
  const parameters = isObject(components.parameters) ? components.parameters : {};
  const responses = isObject(components.responses) ? components.responses : {};
  return {
    ...document,
    paths: finishedPaths,
    components: {
      ...components,
      schemas: { ...schemas, Problem: problemComponent() },
      parameters: { ...parameters, ...COMMAND_HEADERS },
      responses: {
        ...responses,
        Problem: {
          description: 'A problem (RFC 9457): `code` says which; see the error catalogue',
          content: { [PROBLEM_CONTENT_TYPE]: { schema: PROBLEM_REF } },
        },
      },
    },
  } as Document;
}
