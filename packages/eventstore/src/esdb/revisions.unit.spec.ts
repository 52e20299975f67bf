import { describe, expect, it } from 'vitest';
import type { ExpectedRevision } from '../types.js';
import { expectationHolds, revisionNumber, serverExpectation } from './revisions.js';

describe('expected revisions', () => {
  const cases: [ExpectedRevision, number | null, boolean][] = [
    ['any', null, true],
    ['any', 4, true],
    ['no_stream', null, true],
    ['no_stream', 0, false],
    ['stream_exists', null, false],
    ['stream_exists', 0, true],
    [3, 3, true],
    [3, 4, false],
    [0, null, false],
  ];
  it.each(cases)('%s against head %s holds: %s', (expected, head, holds) => {
    expect(expectationHolds(expected, head)).toBe(holds);
  });

  it('the server always gets the exact head that was read, whatever the caller expected', () => {
    expect(serverExpectation(null)).toBe('no_stream');
    expect(serverExpectation(0)).toBe(0n);
    expect(serverExpectation(41)).toBe(41n);
  });

  it('server revisions become numbers, and an impossible one is refused', () => {
    expect(revisionNumber(7n)).toBe(7);
    expect(() => revisionNumber(2n ** 60n)).toThrow(RangeError);
    expect(() => revisionNumber(-1n)).toThrow(RangeError);
  });
});
