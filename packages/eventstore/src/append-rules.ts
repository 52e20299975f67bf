import { DuplicateEventIdError, WrongExpectedRevisionError } from './errors.js';
import type { RecordedEvent } from '@waypoint/contracts';
import type { AppendResult, ExpectedRevision } from './types.js';

/**
 * The rules of `append` that do not depend on where events are kept, shared by the adapters that
 * run them in JavaScript (memory, SQLite). The PostgreSQL adapter runs the same rules in SQL; the
 * contract suite holds them all to the same behaviour.
 */
export function checkExpectedRevision(
  stream: string,
  expected: ExpectedRevision,
  head: number | null,
): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && head === null) ||
    (expected === 'stream_exists' && head !== null) ||
    expected === head;
  if (!ok) throw new WrongExpectedRevisionError(stream, expected, head ?? 'no_stream');
}

/**
 * Decides what an append whose event ids are (partly) stored already means.
 * Returns the last stored event when the append is a retry of one that succeeded, null when none
 * of the ids is stored; throws when the ids belong to another append.
 */
export function detectReplay(
  stream: string,
  expected: ExpectedRevision,
  ids: readonly string[],
  stored: readonly (RecordedEvent | undefined)[],
  head: number | null,
): RecordedEvent | null {
  const found = stored.filter((event): event is RecordedEvent => event !== undefined);
  if (found.length === 0) return null;
  const first = stored[0];
  const sameAppend =
    found.length === ids.length &&
    first !== undefined &&
    stored.every(
      (event, index) => event?.stream === stream && event.revision === first.revision + index,
    );
  if (!sameAppend)
    throw new DuplicateEventIdError(
      stream,
      found.map((event) => event.id),
    );
  const compatible =
    expected === 'any' ||
    expected === 'stream_exists' ||
    (expected === 'no_stream' && first.revision === 0) ||
    expected === first.revision - 1;
  if (!compatible) throw new WrongExpectedRevisionError(stream, expected, head ?? 'no_stream');
  return stored[stored.length - 1] ?? null;
}

/** The store's clock never runs backwards within a stream. */
export function nextRecordedAt(now: Date, headRecordedAt: string | undefined): string {
  const iso = now.toISOString();
  return headRecordedAt !== undefined && headRecordedAt > iso ? headRecordedAt : iso;
}

export function appendResultOf(event: RecordedEvent, replayed: boolean): AppendResult {
  return {
    revision: event.revision,
    position: event.position,
    recordedAt: event.metadata.recordedAt,
    hash: event.hash,
    replayed,
  };
}
