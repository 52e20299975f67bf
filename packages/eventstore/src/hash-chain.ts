import { createHash } from 'node:crypto';
import {
  canonicalJson,
  type EventMetadataInput,
  type JsonObject,
  type RecordedEvent,
} from '@waypoint/contracts';
import type { VerifyResult } from './types.js';

/**
 * The per-stream hash chain.
 *
 * payloadHash = sha256(RFC 8785 canonical JSON of { stream, id, type, schemaVersion, data, metadata })
 * hash        = sha256(prevHash + "\n" + revision + "\n" + recordedAt + "\n" + payloadHash)
 *
 * `metadata` is what the writer supplied (without recordedAt); revision and recordedAt enter through
 * the second line, so they are covered too. The global position is not: it is the adapter's, and
 * KurrentDB assigns its own. Personal data is already ciphertext here, so destroying a key never
 * breaks the chain. The PostgreSQL adapter computes the second line in SQL with the same format.
 */
export interface HashedPayload {
  readonly stream: string;
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: JsonObject;
  readonly metadata: EventMetadataInput;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function payloadHash(payload: HashedPayload): string {
  return payloadHashOfCanonical(
    payload,
    canonicalJson(payload.data),
    canonicalJson(payload.metadata),
  );
}

/**
 * The same hash from canonical texts already made (by validation, on append). The members are
 * written in RFC 8785 key order: data, id, metadata, schemaVersion, stream, type.
 */
export function payloadHashOfCanonical(
  payload: Omit<HashedPayload, 'data' | 'metadata'>,
  dataJson: string,
  metadataJson: string,
): string {
  return sha256Hex(
    `{"data":${dataJson},"id":${JSON.stringify(payload.id)},"metadata":${metadataJson},"schemaVersion":${String(
      payload.schemaVersion,
    )},"stream":${JSON.stringify(payload.stream)},"type":${JSON.stringify(payload.type)}}`,
  );
}

export function chainHash(
  prevHash: string | null,
  revision: number,
  recordedAt: string,
  payload: string,
): string {
  return sha256Hex(`${prevHash ?? ''}\n${String(revision)}\n${recordedAt}\n${payload}`);
}

/** The metadata as it was hashed: everything but the store's recordedAt. */
export function hashedMetadata(event: RecordedEvent): EventMetadataInput {
  const { recordedAt: _recordedAt, ...input } = event.metadata;
  return input;
}

/** Walks a stream in revision order and names the first event whose hash does not hold. */
export async function verifyEvents(
  stream: string,
  events: AsyncIterable<RecordedEvent>,
): Promise<VerifyResult> {
  let expectedRevision = 0;
  let prevHash: string | null = null;
  let count = 0;
  for await (const event of events) {
    const broken = (reason: 'payload-altered' | 'chain-broken' | 'revision-gap'): VerifyResult => ({
      ok: false,
      stream,
      events: count,
      brokenAt: { revision: event.revision, eventId: event.id, reason },
    });
    if (event.revision !== expectedRevision) return broken('revision-gap');
    if (event.prevHash !== prevHash) return broken('chain-broken');
    const payload = payloadHash({ ...event, stream, metadata: hashedMetadata(event) });
    if (chainHash(prevHash, event.revision, event.metadata.recordedAt, payload) !== event.hash) {
      return broken('payload-altered');
    }
    prevHash = event.hash;
    expectedRevision += 1;
    count += 1;
  }
  return { ok: true, stream, events: count, headHash: prevHash };
}
