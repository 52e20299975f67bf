import type { JsonObject } from './json.js';

/**
 * The envelope every event travels in: what a writer hands the store (`NewEvent`) and what every
 * reader gets back (`RecordedEvent`). Defined here, with the schemas of what goes inside, so that
 * event families, upcasters and the store all speak of one shape; the store implements it.
 */

/** Who did it: the user, the role they acted in, and their organisation. */
export interface Actor {
  readonly userId: string;
  readonly role: string;
  readonly orgId: string;
}

/** Metadata the writer supplies. `recordedAt` is never supplied: the store sets it. */
export interface EventMetadataInput {
  /** When it happened in the world (ISO 8601, UTC). May be long before it was recorded. */
  readonly occurredAt: string;
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string;
  /** The legal basis of a decision, where the event is one. */
  readonly legalBasis?: string;
  /** W3C trace context, so one request can be followed through projections and Kafka. */
  readonly traceparent?: string;
  readonly tracestate?: string;
}

export interface EventMetadata extends EventMetadataInput {
  /** When the store accepted the event (ISO 8601, UTC, millisecond precision). */
  readonly recordedAt: string;
}

export interface NewEvent<Type extends string = string, Data extends JsonObject = JsonObject> {
  /** UUIDv7, chosen by the writer, so that a retried append is recognised. */
  readonly id: string;
  readonly type: Type;
  readonly schemaVersion: number;
  readonly data: Data;
  readonly metadata: EventMetadataInput;
}

/**
 * An opaque, ordered token for a place in the global log. Tokens of one store adapter compare
 * with plain string comparison; the store's `START` comes before every event.
 */
export type Position = string;

export interface RecordedEvent<Type extends string = string, Data extends JsonObject = JsonObject> {
  readonly id: string;
  readonly type: Type;
  readonly schemaVersion: number;
  readonly data: Data;
  readonly metadata: EventMetadata;
  readonly stream: string;
  /** 0-based, gapless within the stream. */
  readonly revision: number;
  readonly position: Position;
  /** Hash of the previous event of the stream; null for revision 0. */
  readonly prevHash: string | null;
  readonly hash: string;
}
