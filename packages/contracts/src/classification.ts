import type { Category } from './access.js';

/**
 * Every field of every event is classified. Coarse codes (child yes/no, age band, gender,
 * citizenship, languages, HTCDS codes, dates, reason codes) stay in clear for audits and
 * statistics; identifying or sensitive values are listed here, each under one category, and are
 * encrypted with the person's key for that category before the event is stored.
 *
 * Paths are dot paths inside `data`. A path listed here must hold an EncryptedField once stored.
 */
export type Classification = Readonly<Record<string, Category>>;

export interface EventDefinition {
  readonly type: string;
  readonly schemaVersion: number;
  /** Where the event comes from: a decision taken through Waypoint, or a recorded fact of an outside body. */
  readonly origin: 'decision' | 'fact' | 'record';
  readonly encrypted: Classification;
  readonly description: string;
}

/** The value at a dot path, or undefined. */
export function valueAt(data: unknown, path: string): unknown {
  let current: unknown = data;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
