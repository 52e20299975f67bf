import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors.js';
import { decodePosition, encodePosition } from './positions.js';

const logPosition = fc
  .tuple(fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }), fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }))
  .map(([commit, prepare]) => ({ commit, prepare }));

describe('KurrentDB positions as tokens', () => {
  it('round-trip through the token', () => {
    fc.assert(
      fc.property(logPosition, (position) => {
        expect(decodePosition(encodePosition(position))).toEqual(position);
      }),
    );
  });

  it('sort as strings exactly as the log sorts them: commit, then prepare', () => {
    fc.assert(
      fc.property(logPosition, logPosition, (a, b) => {
        const logOrder =
          a.commit === b.commit
            ? Math.sign(Number(a.prepare - b.prepare))
            : Math.sign(Number(a.commit - b.commit));
        const ta = encodePosition(a);
        const tb = encodePosition(b);
        expect(ta < tb ? -1 : ta > tb ? 1 : 0).toBe(logOrder);
      }),
    );
  });

  it('come after START, the empty token, which decodes to the beginning of the log', () => {
    expect(encodePosition({ commit: 0n, prepare: 0n }) > '').toBe(true);
    expect(decodePosition('')).toBeNull();
  });

  it('refuse a token of another adapter or a malformed one', () => {
    for (const token of ['00000000000000000042', '1/2', 'not-a-position', `${'0'.repeat(20)}/x`]) {
      expect(() => decodePosition(token)).toThrow(InvalidInputError);
    }
    expect(() => encodePosition({ commit: -1n, prepare: -1n })).toThrow(RangeError);
  });
});
