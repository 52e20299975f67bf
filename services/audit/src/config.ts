import { z } from 'zod';
import {
  DEFAULT_LIMITS,
  parseProfiles,
  type JurisdictionProfile,
} from './rules/jurisdiction-profile.js';

/**
 * The audit service's settings, from the environment. Time limits live in jurisdiction profiles
 * (JSON: versioned, with effective dates and an IANA time zone); the digest key signs what the
 * database cannot rewrite, so it is held apart from it.
 */
export const auditConfigSchema = z.object({
  AUDIT_PROFILES: z
    .string()
    .min(2)
    .default(
      JSON.stringify([
        {
          jurisdiction: 'NL',
          version: 1,
          effectiveFrom: '2000-01-01',
          timeZone: 'Europe/Amsterdam',
          limits: DEFAULT_LIMITS,
        },
      ]),
    )
    .describe(
      'Jurisdiction profiles as a JSON array: {jurisdiction, version, effectiveFrom, timeZone, limits, nrmOrgIds}. The default is one NL profile with the default limits of docs/rules.md.',
    ),
  AUDIT_DIGEST_PATH: z
    .string()
    .min(1)
    .default('audit-digests.jsonl')
    .describe(
      'File (outside the database) that signed digests of every stream head are appended to, one JSON line each.',
    ),
  AUDIT_DIGEST_KEY: z
    .string()
    .min(1)
    .describe('Ed25519 private key (PKCS#8 PEM) that signs the digests.'),
  AUDIT_DIGEST_KEY_ID: z
    .string()
    .min(1)
    .max(100)
    .default('digest-1')
    .describe('Names the digest key in each digest.'),
  AUDIT_DIGEST_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(3_600_000)
    .describe('How often a digest is published (0: only on request).'),
  AUDIT_SWEEP_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(300_000)
    .describe(
      'How often every journey is re-evaluated against the clock, for deadline rules (0: never).',
    ),
});
export type AuditConfig = z.infer<typeof auditConfigSchema>;

export function profilesOf(config: Pick<AuditConfig, 'AUDIT_PROFILES'>): JurisdictionProfile[] {
  return parseProfiles(JSON.parse(config.AUDIT_PROFILES));
}
