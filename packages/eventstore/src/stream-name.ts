import { InvalidInputError } from './errors.js';

/**
 * `<category>-<id>`: the category is one or more lowercase words joined by `-`
 * (`identification`, `access-journey`), the id starts with a letter or digit.
 */
const STREAM_NAME = /^[a-z][a-z0-9_]*(?:-[a-z][a-z0-9_]*)*-[0-9A-Za-z][0-9A-Za-z_.:-]*$/;
const CATEGORY = /^[a-z][a-z0-9_]*(?:-[a-z][a-z0-9_]*)*$/;
export const MAX_STREAM_NAME_LENGTH = 200;

export function assertStreamName(stream: unknown, field = 'stream'): asserts stream is string {
  if (
    typeof stream !== 'string' ||
    stream.length > MAX_STREAM_NAME_LENGTH ||
    !STREAM_NAME.test(stream)
  ) {
    throw new InvalidInputError(
      'INVALID_STREAM_NAME',
      field,
      `${field} must look like <category>-<id> (lowercase category, at most ${String(MAX_STREAM_NAME_LENGTH)} characters)`,
    );
  }
}

export function assertCategory(category: unknown, field: string): asserts category is string {
  if (typeof category !== 'string' || !CATEGORY.test(category)) {
    throw new InvalidInputError(
      'INVALID_STREAM_NAME',
      field,
      `${field} must be a lowercase category`,
    );
  }
}

/** True when the stream belongs to the category (or to a sub-category of it). */
export function streamInCategory(stream: string, category: string): boolean {
  return stream.startsWith(`${category}-`);
}
