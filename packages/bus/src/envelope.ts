import type { RecordedEvent } from '@waypoint/eventstore';
import type { BusMessage } from './bus.js';
import { HEADERS } from './event-message.js';

/**
 * The envelope check a consumer runs before handing an event to its sink. Written by hand because
 * this package does not depend on zod yet (see the README); it checks exactly the RecordedEvent
 * type, field by field, and names the first field that is wrong.
 */
export type EnvelopeResult =
  | { readonly ok: true; readonly event: RecordedEvent }
  | { readonly ok: false; readonly reason: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EVENT_TYPE = /^[A-Z][A-Za-z0-9]*$/;
const STREAM = /^[a-z][a-z0-9_]*(?:-[a-z][a-z0-9_]*)*-[0-9A-Za-z][0-9A-Za-z_.:-]*$/;
const HASH = /^[0-9a-f]{64}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

class EnvelopeError extends Error {}

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(value: unknown, field: string): Fields {
  if (!isObject(value)) throw new EnvelopeError(`${field} must be an object`);
  return value;
}

function text(value: unknown, field: string, pattern?: RegExp, max = 1_000): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max)
    throw new EnvelopeError(`${field} must be a non-empty string`);
  if (pattern && !pattern.test(value)) throw new EnvelopeError(`${field} is malformed`);
  return value;
}

function count(value: unknown, field: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min)
    throw new EnvelopeError(`${field} must be an integer of at least ${String(min)}`);
  return value;
}

function checkMetadata(value: unknown): void {
  const metadata = object(value, 'metadata');
  const actor = object(metadata.actor, 'metadata.actor');
  text(metadata.occurredAt, 'metadata.occurredAt', INSTANT);
  text(metadata.recordedAt, 'metadata.recordedAt', INSTANT);
  text(actor.userId, 'metadata.actor.userId');
  text(actor.role, 'metadata.actor.role');
  text(actor.orgId, 'metadata.actor.orgId');
  text(metadata.correlationId, 'metadata.correlationId');
  text(metadata.causationId, 'metadata.causationId');
  for (const field of ['legalBasis', 'traceparent', 'tracestate'])
    if (metadata[field] !== undefined) text(metadata[field], `metadata.${field}`);
}

/**
 * Checks a parsed value against the RecordedEvent envelope and hands back the value itself, so
 * that nothing a newer writer added is lost on the way. `data` must be an object.
 */
export function parseEnvelope(value: unknown): EnvelopeResult {
  try {
    const event = object(value, 'the value');
    text(event.id, 'id', UUID);
    text(event.type, 'type', EVENT_TYPE, 200);
    count(event.schemaVersion, 'schemaVersion', 1);
    object(event.data, 'data');
    checkMetadata(event.metadata);
    text(event.stream, 'stream', STREAM, 200);
    const revision = count(event.revision, 'revision', 0);
    text(event.position, 'position');
    if (event.prevHash !== null) text(event.prevHash, 'prevHash', HASH);
    if ((revision === 0) !== (event.prevHash === null))
      throw new EnvelopeError('prevHash must be null exactly at revision 0');
    text(event.hash, 'hash', HASH);
    // Every field of the type was checked above; a parsed JSON value holds only JSON inside.
    return { ok: true, event: event as unknown as RecordedEvent };
  } catch (error) {
    if (error instanceof EnvelopeError) return { ok: false, reason: error.message };
    throw error;
  }
}

/** Parses and checks an event message; its id header, when present, must name the same event. */
export function parseEventMessage(message: Pick<BusMessage, 'value' | 'headers'>): EnvelopeResult {
  let value: unknown;
  try {
    value = JSON.parse(message.value);
  } catch {
    return { ok: false, reason: 'the value is not JSON' };
  }
  const result = parseEnvelope(value);
  const headerId = message.headers[HEADERS.eventId];
  if (result.ok && headerId !== undefined && headerId !== result.event.id)
    return { ok: false, reason: `the ${HEADERS.eventId} header names another event` };
  return result;
}
