import { describe, expect, expectTypeOf, it } from 'vitest';
import { HttpProblem } from '../errors.js';
import { cursorPart, decodeCursor, encodeCursor } from './keyset-cursor.js';

describe('keyset cursors', () => {
  const checks = [cursorPart.day, cursorPart.uuid];
  it('give back the parts they were made of', () => {
    const parts = ['2026-03-01', '0193c000-0000-7000-8000-000000000001'];
    expect(decodeCursor(encodeCursor(parts), checks)).toEqual(parts);
  });

  it('give one string per check', () => {
    const cursor = encodeCursor(['2026-03-01', '0193c000-0000-7000-8000-000000000001']);
    const parts = decodeCursor(cursor, [cursorPart.day, cursorPart.uuid]);
    expectTypeOf(parts).toEqualTypeOf<readonly [string, string]>();
    expect(parts).toHaveLength(2);
  });

  it.each([
    ['not base64 JSON', 'not-a-cursor'],
    ['too few parts', encodeCursor(['2026-03-01'])],
    [
      'a day that does not exist',
      encodeCursor(['2026-02-30', '0193c000-0000-7000-8000-000000000001']),
    ],
    [
      'SQL in a part',
      encodeCursor(["2026-03-01'; DROP TABLE x; --", '0193c000-0000-7000-8000-000000000001']),
    ],
    ['a number instead of a string', Buffer.from('[20260301, "x"]').toString('base64url')],
  ])('refuse %s with a 400 naming the field', (_case, cursor) => {
    expect(() => decodeCursor(cursor, checks)).toThrow(HttpProblem);
    try {
      decodeCursor(cursor, checks);
    } catch (error) {
      expect(error).toMatchObject({ status: 400, extras: { field: 'querystring.cursor' } });
    }
  });

  it('know an instant as toISOString writes it', () => {
    expect(cursorPart.instant(new Date(0).toISOString())).toBe(true);
    expect(cursorPart.instant('2026-03-01 10:00')).toBe(false);
  });
});
