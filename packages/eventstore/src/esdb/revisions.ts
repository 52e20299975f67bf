import type { ExpectedRevision } from '../types.js';

/**
 * The caller's expectation is checked against the head the adapter read; the server is always
 * sent that exact head. That is what keeps the hash chain whole: the chain is computed from the
 * head that was read, and the server refuses the write if anything was appended since, even when
 * the caller asked for `any`.
 */
export function serverExpectation(head: number | null): 'no_stream' | bigint {
  return head === null ? 'no_stream' : BigInt(head);
}

/** Whether the caller's expected revision holds for the head the adapter read. */
export function expectationHolds(expected: ExpectedRevision, head: number | null): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return head === null;
    case 'stream_exists':
      return head !== null;
    default:
      return expected === head;
  }
}

/** A revision from the server as a number: revisions are far below 2^53. */
export function revisionNumber(revision: bigint): number {
  const value = Number(revision);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`Stream revision ${revision.toString()} is out of range`);
  }
  return value;
}
