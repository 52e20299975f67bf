import {
  jsonEvent,
  type EventData,
  type RecordedEvent as ServerRecordedEvent,
} from '@eventstore/db-client';
import type { PreparedEvent } from '../base-event-store.js';
import type { EventMetadataInput, JsonObject, JsonValue, RecordedEvent } from '@waypoint/contracts';
import { encodePosition } from './positions.js';
import { revisionNumber } from './revisions.js';
import type { StreamNaming } from './stream-naming.js';

/**
 * How one event is kept on the server. The event id, type and data are the server's own fields;
 * what Waypoint keeps on top goes in the event's metadata:
 *
 *   { waypoint: 1, schemaVersion, recordedAt, prevHash, hash, metadata: <the writer's metadata>,
 *     $correlationId, $causationId }
 *
 * `$correlationId` / `$causationId` are the names the server's own projections read.
 */
export interface ChainedEvent {
  readonly prepared: PreparedEvent;
  readonly revision: number;
  readonly recordedAt: string;
  readonly prevHash: string | null;
  readonly hash: string;
}

interface StoredMetadata {
  readonly waypoint: 1;
  readonly schemaVersion: number;
  readonly recordedAt: string;
  readonly prevHash: string | null;
  readonly hash: string;
  readonly metadata: EventMetadataInput;
}

export function toEventData({ prepared, recordedAt, prevHash, hash }: ChainedEvent): EventData {
  const { event } = prepared;
  const metadata = {
    waypoint: 1,
    schemaVersion: event.schemaVersion,
    recordedAt,
    prevHash,
    hash,
    metadata: event.metadata as unknown as JsonObject,
    $correlationId: event.metadata.correlationId,
    $causationId: event.metadata.causationId,
  };
  return jsonEvent({ id: event.id, type: event.type, data: event.data, metadata });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function storedMetadataOf(value: unknown): StoredMetadata | null {
  if (!isObject(value) || value.waypoint !== 1) return null;
  const { schemaVersion, recordedAt, prevHash, hash, metadata } = value;
  if (
    typeof schemaVersion !== 'number' ||
    typeof recordedAt !== 'string' ||
    (prevHash !== null && typeof prevHash !== 'string') ||
    typeof hash !== 'string' ||
    !isObject(metadata)
  ) {
    return null;
  }
  return {
    waypoint: 1,
    schemaVersion,
    recordedAt,
    prevHash,
    hash,
    metadata: metadata as unknown as EventMetadataInput,
  };
}

/**
 * A server event as the store's envelope, or null when it is not one of this store's events
 * (a system event, an event-id claim, another application's or another prefix's stream).
 * Events read from a stream carry their position on KurrentDB / EventStoreDB 22.6 and later;
 * older servers give none, and the position is then empty.
 */
export function fromServerEvent(
  naming: StreamNaming,
  record: ServerRecordedEvent,
): RecordedEvent | null {
  const stream = naming.fromServer(record.streamId);
  if (stream === null || !record.isJson || !isObject(record.data)) return null;
  const stored = storedMetadataOf(record.metadata);
  if (stored === null) return null;
  return {
    id: record.id,
    type: record.type,
    schemaVersion: stored.schemaVersion,
    data: record.data as JsonObject,
    metadata: { ...stored.metadata, recordedAt: stored.recordedAt },
    stream,
    revision: revisionNumber(record.revision),
    position: record.position ? encodePosition(record.position) : '',
    prevHash: stored.prevHash,
    hash: stored.hash,
  };
}

/** What an event-id claim records: where the event was (or was about to be) appended. */
export interface Claim {
  readonly stream: string;
  readonly revision: number;
}

export function claimEventData(claim: Claim): EventData {
  return jsonEvent({
    type: 'EventIdClaimed',
    data: { stream: claim.stream, revision: claim.revision } satisfies JsonValue,
  });
}

export function claimOf(record: ServerRecordedEvent): Claim | null {
  if (!record.isJson || !isObject(record.data)) return null;
  const { stream, revision } = record.data;
  if (typeof stream !== 'string' || typeof revision !== 'number') return null;
  return { stream, revision };
}
