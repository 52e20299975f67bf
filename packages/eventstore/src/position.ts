import { InvalidInputError } from './errors.js';
import type { Position } from '@waypoint/contracts';

const WIDTH = 20;

/** A single counter as an ordered token: zero-padded so that string order is numeric order. */
export function counterPosition(value: number | bigint | string): Position {
  return String(value).padStart(WIDTH, '0');
}

export function parseCounterPosition(position: Position, field = 'from'): bigint {
  if (position === '') return 0n;
  if (!/^\d{20}$/.test(position))
    throw new InvalidInputError(
      'INVALID_POSITION',
      field,
      `${field} is not a position of this store`,
    );
  return BigInt(position);
}
