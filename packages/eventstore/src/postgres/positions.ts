import { InvalidInputError } from '../errors.js';
import type { Position } from '@waypoint/contracts';

/**
 * A PostgreSQL position is the pair readers sort by: the writing transaction's id, then the
 * global sequence. Both zero-padded, so that string order is log order.
 */
export interface LogPoint {
  readonly transactionId: string;
  readonly globalPosition: string;
}

const PATTERN = /^(\d{20})\/(\d{20})$/;

export function toPosition(point: LogPoint): Position {
  return `${point.transactionId.padStart(20, '0')}/${point.globalPosition.padStart(20, '0')}`;
}

export function fromPosition(position: Position): LogPoint {
  if (position === '') return { transactionId: '0', globalPosition: '0' };
  const match = PATTERN.exec(position);
  if (!match?.[1] || !match[2])
    throw new InvalidInputError(
      'INVALID_POSITION',
      'from',
      'from is not a position of the PostgreSQL store',
    );
  return {
    transactionId: BigInt(match[1]).toString(),
    globalPosition: BigInt(match[2]).toString(),
  };
}
