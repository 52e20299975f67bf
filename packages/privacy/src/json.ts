import { InvalidInputError } from './errors.js';

/** The same shape as @waypoint/eventstore's JsonValue, declared here to keep this package standalone. */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The types say JSON, but a NaN or an undefined slips through them at runtime, and
 * JSON.stringify would silently turn it into null or drop it: refuse it instead, so what is
 * decrypted is always what was encrypted.
 */
export function assertJsonValue(value: unknown, where = 'value'): asserts value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return;
    throw new InvalidInputError('INVALID_VALUE', where, `${where} is not a finite number`);
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      assertJsonValue(item, `${where}[${String(index)}]`);
    });
    return;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) assertJsonValue(item, `${where}.${key}`);
    return;
  }
  throw new InvalidInputError('INVALID_VALUE', where, `${where} is not a JSON value`);
}
