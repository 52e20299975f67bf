import { CATEGORIES, type Category } from '@waypoint/contracts';
import { InvalidInputError } from './errors.js';

// The limits of encryptedFieldSchema in @waypoint/contracts: a subject or path this package accepts
// must fit in the envelope it produces.
const MAX_SUBJECT = 100;
const MAX_PATH = 200;
const MAX_REASON = 200;
// Control characters would make the newline-joined associated data ambiguous.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export function assertSubject(subject: string): void {
  if (
    typeof subject !== 'string' ||
    subject.length === 0 ||
    subject.length > MAX_SUBJECT ||
    CONTROL.test(subject)
  ) {
    throw new InvalidInputError(
      'INVALID_SUBJECT',
      'subject',
      `A subject is 1 to ${String(MAX_SUBJECT)} characters without control characters`,
    );
  }
}

export function assertCategory(category: string): asserts category is Category {
  if (!(CATEGORIES as readonly string[]).includes(category)) {
    throw new InvalidInputError(
      'INVALID_CATEGORY',
      'category',
      `A category is one of ${CATEGORIES.join(', ')}`,
    );
  }
}

/** The reason is a code such as `erasure-request`, stored in the destruction log: no personal data. */
export function assertReason(reason: string): void {
  if (
    typeof reason !== 'string' ||
    reason.trim().length === 0 ||
    reason.length > MAX_REASON ||
    CONTROL.test(reason)
  ) {
    throw new InvalidInputError(
      'INVALID_REASON',
      'reason',
      `A destruction reason is 1 to ${String(MAX_REASON)} characters on one line`,
    );
  }
}

export function assertEventId(eventId: string): void {
  if (typeof eventId !== 'string' || eventId.length === 0 || CONTROL.test(eventId)) {
    throw new InvalidInputError(
      'INVALID_EVENT_ID',
      'eventId',
      'An event id is a non-empty string without control characters',
    );
  }
}

export function assertFieldPath(path: string): void {
  if (
    typeof path !== 'string' ||
    path.length === 0 ||
    path.length > MAX_PATH ||
    CONTROL.test(path)
  ) {
    throw new InvalidInputError(
      'INVALID_PATH',
      'path',
      `A field path is 1 to ${String(MAX_PATH)} characters without control characters`,
    );
  }
}
