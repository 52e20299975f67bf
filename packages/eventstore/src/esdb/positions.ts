import type { Position as LogPosition } from '@eventstore/db-client';
import { InvalidInputError } from '../errors.js';
import type { Position } from '@waypoint/contracts';

/**
 * A KurrentDB position is the pair `$all` is ordered by: the commit position, then the prepare
 * position, both offsets in the transaction log. Each is zero-padded to 20 digits (an int64 has at
 * most 19), so that plain string order is log order, like the other adapters' tokens.
 */
const WIDTH = 20;
const PATTERN = /^(\d{20})\/(\d{20})$/;

export function encodePosition(position: LogPosition): Position {
  if (position.commit < 0n || position.prepare < 0n) {
    throw new RangeError('A log position is never negative');
  }
  return `${position.commit.toString().padStart(WIDTH, '0')}/${position.prepare.toString().padStart(WIDTH, '0')}`;
}

/** `null` for START (the empty token): read from the beginning of the log. */
export function decodePosition(token: Position, field = 'from'): LogPosition | null {
  if (token === '') return null;
  const match = PATTERN.exec(token);
  if (!match?.[1] || !match[2]) {
    throw new InvalidInputError(
      'INVALID_POSITION',
      field,
      `${field} is not a position of the KurrentDB store`,
    );
  }
  return { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
}
