import { cursorPart, decodeCursor, encodeCursor } from '@waypoint/service-kit';

/** Keyset cursors of the lists here, sorted by a day then a journey id. */
export const encodeDayCursor = (day: string, journeyId: string): string =>
  encodeCursor([day, journeyId]);

export function decodeDayCursor(cursor: string): { day: string; journeyId: string } {
  const [day = '', journeyId = ''] = decodeCursor(cursor, [cursorPart.day, cursorPart.uuid]);
  return { day, journeyId };
}
