import { HttpProblem } from '../errors.js';

/*
 * Keyset cursors for paged lists: the sort key of the last row given, opaque to clients (base64url
 * of a JSON array of strings). A cursor is client input: each part is checked for its shape before
 * it reaches SQL, and one this service did not give fails validation naming the field. Every paged
 * list of every service reads and writes its cursors here, so all of them have the one format.
 */

/** A check of a cursor part's shape. */
type PartCheck = (part: string) => boolean;

/** Checks of a cursor part's shape. */
export const cursorPart = {
  uuid: (value: string): boolean =>
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value),
  /** A day (YYYY-MM-DD) that exists. */
  day: (value: string): boolean =>
    /^\d{4}-\d{2}-\d{2}$/.test(value) &&
    !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
    new Date(`${value}T00:00:00Z`).toISOString().startsWith(value),
  /** An instant in UTC, as `Date.prototype.toISOString` writes it. */
  instant: (value: string): boolean =>
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/.test(value) &&
    !Number.isNaN(Date.parse(value)),
} as const;

export function encodeCursor(parts: readonly string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/**
 * The cursor's parts, each checked by the check at its place, one part per check (so that
 * `const [day, journeyId] = decodeCursor(cursor, [cursorPart.day, cursorPart.uuid])` gives two
 * strings); else a 400 naming the field.
 */
export function decodeCursor<const Checks extends readonly PartCheck[]>(
  cursor: string,
  checks: Checks,
  field = 'querystring.cursor',
): { readonly [Index in keyof Checks]: string } {
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parts) &&
      parts.length === checks.length &&
      parts.every(
        (part, index) =>
          typeof part === 'string' && part.length <= 64 && (checks[index]?.(part) ?? false),
      )
    )
      // Checked just above: strings, as many as there are checks.
      return parts as { readonly [Index in keyof Checks]: string };
  } catch {
    // falls through
  }
  const message = 'cursor is not one this service gave';
  throw new HttpProblem('VALIDATION_FAILED', `${field}: ${message}`, {
    field,
    errors: [{ field, message }],
  });
}
