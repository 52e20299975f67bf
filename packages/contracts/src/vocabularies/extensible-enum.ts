import { z } from 'zod';

/**
 * An HTCDS picklist that stays open: the standard's values, plus local codes written `x-<code>`
 * that map to the standard's `Other` when exported. HTCDS 2.0 misses values practitioners need
 * (forced criminality, issue UNMigration/HTCDS#28); a local code records them without waiting.
 */
export const LOCAL_CODE = /^x-[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function extensibleEnum<const Values extends readonly [string, ...string[]]>(
  values: Values,
) {
  return z.union([
    z.enum(values),
    z.string().max(64).regex(LOCAL_CODE, 'a standard value or a local code x-<kebab-case>'),
  ]);
}

/** The value to export to an HTCDS consumer: local codes become Other. */
export function toHtcds(value: string): string {
  return LOCAL_CODE.test(value) ? 'Other' : value;
}
