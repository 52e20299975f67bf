import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { PrivacyError } from '../errors.js';
import type { MasterKey } from '../master-key.js';

/** A pseudonymous subject id no other test uses. */
export const uniqueSubject = (): string => `person-${randomUUID()}`;

export const newMasterKey = (id: string): MasterKey => ({ id, key: randomBytes(32) });

/** Awaits a rejection and checks it is a PrivacyError with `code`. */
export async function expectCode(promise: Promise<unknown>, code: string): Promise<PrivacyError> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(PrivacyError);
  expect((error as PrivacyError).code).toBe(code);
  return error as PrivacyError;
}

/** The same for a synchronous call. */
export function expectCodeSync(work: () => unknown, code: string): PrivacyError {
  let error: unknown;
  try {
    work();
  } catch (caught) {
    error = caught;
  }
  expect(error, `expected ${code}`).toBeInstanceOf(PrivacyError);
  expect((error as PrivacyError).code).toBe(code);
  return error as PrivacyError;
}
