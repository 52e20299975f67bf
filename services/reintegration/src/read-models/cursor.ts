import { HttpProblem } from '@waypoint/service-kit';

/*
 * Keyset cursors for the lists here, sorted by a day then a journey id: the sort key of the last
 * row given, opaque to clients. A cursor this service did not give fails validation.
 */

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const encodeDayCursor = (day: string, journeyId: string): string =>
  Buffer.from(JSON.stringify([day, journeyId])).toString('base64url');

export function decodeDayCursor(cursor: string): { day: string; journeyId: string } {
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parts) && parts.length === 2) {
      const [day, journeyId] = parts as unknown[];
      if (
        typeof day === 'string' &&
        DAY.test(day) &&
        !Number.isNaN(Date.parse(day)) &&
        typeof journeyId === 'string' &&
        UUID.test(journeyId)
      )
        return { day, journeyId };
    }
  } catch {
    // falls through
  }
  const message = 'cursor is not one this service gave';
  throw new HttpProblem('VALIDATION_FAILED', message, {
    field: 'querystring.cursor',
    errors: [{ field: 'querystring.cursor', message }],
  });
}
