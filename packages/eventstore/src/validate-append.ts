import { InvalidInputError } from './errors.js';
import { assertStreamName } from './stream-name.js';
import type { JsonObject, NewEvent } from '@waypoint/contracts';
import type { AppendOptions, ExpectedRevision } from './types.js';

export interface AppendLimits {
  /** Largest serialised size of one event's data plus metadata, in bytes. */
  readonly maxEventBytes: number;
  readonly maxBatchSize: number;
}

export const DEFAULT_LIMITS: AppendLimits = { maxEventBytes: 256 * 1024, maxBatchSize: 5_000 };

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const EVENT_TYPE = /^[A-Z][A-Za-z0-9]{0,99}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;

/** An append after validation: the canonical JSON texts the adapters store and hash. */
export interface ValidatedEvent {
  readonly event: NewEvent;
  readonly dataJson: string;
  readonly metadataJson: string;
}

function invalid(field: string, message: string): InvalidInputError {
  return new InvalidInputError('INVALID_EVENT', field, `${field} ${message}`);
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** NUL characters and lone surrogates are valid in JavaScript strings but not in stored JSON text. */
function assertStorableString(value: string, root: string, path: Path): void {
  if (value.includes('\u0000'))
    throw invalid(pathText(root, path), 'must not contain NUL characters');
  if (LONE_SURROGATE.test(value))
    throw invalid(pathText(root, path), 'must be well-formed Unicode');
}

type Path = (string | number)[];

function pathText(root: string, path: Path): string {
  return path.reduce<string>(
    (text, part) => (typeof part === 'number' ? `${text}[${String(part)}]` : `${text}.${part}`),
    root,
  );
}

/**
 * Checks that `value` is plain JSON that survives a round trip unchanged, and returns its RFC 8785
 * canonical form in the same pass: the store keeps that text and hashes it, so each event is walked
 * once. The field path is only built when something is wrong.
 */
export function canonicalJsonOf(value: unknown, root: string, path: Path = []): string {
  if (path.length > 64) throw invalid(pathText(root, path), 'is nested too deeply');
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      assertStorableString(value, root, path);
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw invalid(pathText(root, path), 'must be a finite number');
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        const items = value.map((item: unknown, index) => {
          path.push(index);
          const text = canonicalJsonOf(item, root, path);
          path.pop();
          return text;
        });
        return `[${items.join(',')}]`;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw invalid(pathText(root, path), 'must be a plain JSON object');
      }
      const record = value as Record<string, unknown>;
      const members = Object.keys(record)
        .sort()
        .map((key) => {
          path.push(key);
          assertStorableString(key, root, path);
          const text = `${JSON.stringify(key)}:${canonicalJsonOf(record[key], root, path)}`;
          path.pop();
          return text;
        });
      return `{${members.join(',')}}`;
    }
    default:
      throw invalid(pathText(root, path), `is not JSON (${typeof value})`);
  }
}

export function assertExpectedRevision(expected: unknown): asserts expected is ExpectedRevision {
  if (expected === 'any' || expected === 'no_stream' || expected === 'stream_exists') return;
  if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0) return;
  throw new InvalidInputError(
    'INVALID_REVISION',
    'expectedRevision',
    'expectedRevision must be any, no_stream, stream_exists or a revision (an integer >= 0)',
  );
}

export function assertRevision(value: unknown, field: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidInputError('INVALID_REVISION', field, `${field} must be an integer >= 0`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validateEvent(candidate: unknown, field: string, limits: AppendLimits): ValidatedEvent {
  if (!isObject(candidate)) throw invalid(field, 'must be an object');
  const { id, type, schemaVersion, data, metadata } = candidate;
  if (typeof id !== 'string' || !UUID_V7.test(id))
    throw invalid(`${field}.id`, 'must be a lowercase UUIDv7');
  if (typeof type !== 'string' || !EVENT_TYPE.test(type)) {
    throw invalid(`${field}.type`, 'must be a PascalCase event type of at most 100 characters');
  }
  if (
    typeof schemaVersion !== 'number' ||
    !Number.isSafeInteger(schemaVersion) ||
    schemaVersion < 1
  ) {
    throw invalid(`${field}.schemaVersion`, 'must be an integer >= 1');
  }
  if (!isObject(data)) throw invalid(`${field}.data`, 'must be a JSON object');
  const dataJson = canonicalJsonOf(data, `${field}.data`);
  if (!isObject(metadata)) throw invalid(`${field}.metadata`, 'must be an object');
  const metadataJson = canonicalJsonOf(metadata, `${field}.metadata`);
  if ('recordedAt' in metadata)
    throw invalid(`${field}.metadata.recordedAt`, 'is set by the store');
  const { occurredAt, actor, correlationId, causationId } = metadata;
  if (
    typeof occurredAt !== 'string' ||
    !ISO_INSTANT.test(occurredAt) ||
    Number.isNaN(Date.parse(occurredAt))
  ) {
    throw invalid(`${field}.metadata.occurredAt`, 'must be an ISO 8601 UTC instant');
  }
  if (
    !isObject(actor) ||
    typeof actor.userId !== 'string' ||
    typeof actor.role !== 'string' ||
    typeof actor.orgId !== 'string'
  ) {
    throw invalid(`${field}.metadata.actor`, 'must name userId, role and orgId');
  }
  if (typeof correlationId !== 'string' || correlationId === '') {
    throw invalid(`${field}.metadata.correlationId`, 'is required');
  }
  if (typeof causationId !== 'string' || causationId === '') {
    throw invalid(`${field}.metadata.causationId`, 'is required');
  }
  const size = Buffer.byteLength(dataJson) + Buffer.byteLength(metadataJson);
  if (size > limits.maxEventBytes) {
    throw new InvalidInputError(
      'EVENT_TOO_LARGE',
      field,
      `${field} is ${String(size)} bytes; at most ${String(limits.maxEventBytes)} are allowed`,
    );
  }
  return {
    event: {
      id,
      type,
      schemaVersion,
      data: data as JsonObject,
      metadata: metadata as unknown as NewEvent['metadata'],
    },
    dataJson,
    metadataJson,
  };
}

/** Checks a whole batch before any I/O, so that a batch is written whole or not at all. */
export function validateAppend(
  stream: unknown,
  events: unknown,
  options: AppendOptions | undefined,
  limits: AppendLimits,
): { stream: string; expected: ExpectedRevision; events: ValidatedEvent[] } {
  assertStreamName(stream);
  const expected = options?.expectedRevision ?? 'any';
  assertExpectedRevision(expected);
  if (!Array.isArray(events) || events.length === 0)
    throw invalid('events', 'must be a non-empty array');
  if (events.length > limits.maxBatchSize) {
    throw new InvalidInputError(
      'BATCH_TOO_LARGE',
      'events',
      `events holds ${String(events.length)} events; at most ${String(limits.maxBatchSize)} per append`,
    );
  }
  const validated = events.map((event: unknown, index) =>
    validateEvent(event, `events[${String(index)}]`, limits),
  );
  const ids = new Set<string>();
  validated.forEach(({ event }, index) => {
    if (ids.has(event.id))
      throw invalid(`events[${String(index)}].id`, 'appears twice in the batch');
    ids.add(event.id);
  });
  return { stream, expected, events: validated };
}
