/**
 * An event's data without any encrypted value: analytics works on clear coarse codes only, so a
 * `$enc` field (a name, a place, a note, an amount) never reaches its tables, even as ciphertext.
 */
export function coarseData(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((item) => !isSealed(item)).map(coarseData);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, inner]) => !isSealed(inner))
        .map(([key, inner]) => [key, coarseData(inner)]),
    );
  }
  return value;
}

function isSealed(value: unknown): boolean {
  return typeof value === 'object' && value !== null && '$enc' in value;
}
