import {
  NO_STREAM,
  WrongExpectedVersionError,
  type EventStoreDBClient,
} from '@eventstore/db-client';
import type { RecordedEvent } from '@waypoint/contracts';
import { claimEventData, claimOf, type Claim } from './envelope.js';
import { mapLimit, readServerStream } from './server-reads.js';
import type { StreamNaming } from './stream-naming.js';

const IN_FLIGHT = 32;
const CLAIMED = 'claimed';
const TAKEN_OVER = 'taken-over';
const CONTENDED = 'contended';

/** Reads the event at a revision of a Waypoint stream, if there is one. */
export type ReadAt = (stream: string, revision: number) => Promise<RecordedEvent | undefined>;

export interface ClaimOutcome {
  /** Per id, in order: the stored event when the id is already stored, else undefined (claimed now). */
  readonly stored: (RecordedEvent | undefined)[];
  /** True when a claim left by an append that never landed was taken over. */
  readonly tookOver: boolean;
}

/**
 * KurrentDB has no index from event id to stream, and its own duplicate check only looks inside
 * one stream. The store keeps one: before an append, each event id is claimed in its own stream
 * (`_wp_eventid-<id>`) with "no stream" as the expected revision, so the server lets only one
 * claim through. A claim names the stream and revision the event was to take; it is only
 * believed when that event is there. A claim whose event never landed (the append lost a race or
 * the process died) is taken over by the next append of the same id.
 */
export class EventIdClaims {
  constructor(
    private readonly client: EventStoreDBClient,
    private readonly naming: StreamNaming,
    private readonly readAt: ReadAt,
  ) {}

  /** Where each id is stored, without claiming anything. */
  async lookup(ids: readonly string[]): Promise<(RecordedEvent | undefined)[]> {
    return await mapLimit(ids, IN_FLIGHT, async (id) => (await this.current(id))?.stored);
  }

  /**
   * Claims each id for `stream` at `first + index`. Returns null when another writer changed a
   * claim meanwhile: the caller reads again and decides anew.
   */
  async claim(ids: readonly string[], stream: string, first: number): Promise<ClaimOutcome | null> {
    const outcomes = await mapLimit(ids, IN_FLIGHT, async (id, index) => {
      const claim = { stream, revision: first + index };
      if (await this.write(id, claim, 'no_stream')) return CLAIMED;
      const current = await this.current(id);
      if (current?.stored) return current.stored;
      if (current && (await this.write(id, claim, BigInt(current.claimRevision)))) {
        return TAKEN_OVER;
      }
      return CONTENDED;
    });
    if (outcomes.includes(CONTENDED)) return null;
    return {
      stored: outcomes.map((outcome) => (typeof outcome === 'object' ? outcome : undefined)),
      tookOver: outcomes.includes(TAKEN_OVER),
    };
  }

  private async write(id: string, claim: Claim, expected: 'no_stream' | bigint): Promise<boolean> {
    try {
      await this.client.appendToStream(this.naming.claimStream(id), claimEventData(claim), {
        expectedRevision: expected === 'no_stream' ? NO_STREAM : expected,
      });
      return true;
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return false;
      throw error;
    }
  }

  /** The latest claim of an id, and the event it names when that event carries the id. */
  private async current(
    id: string,
  ): Promise<{ claimRevision: number; stored: RecordedEvent | undefined } | undefined> {
    const [record] = await readServerStream(
      this.client,
      this.naming.claimStream(id),
      'end',
      'backwards',
      1,
    );
    if (!record) return undefined;
    const claim = claimOf(record);
    const event = claim ? await this.readAt(claim.stream, claim.revision) : undefined;
    return {
      claimRevision: Number(record.revision),
      stored: event?.id === id ? event : undefined,
    };
  }
}
