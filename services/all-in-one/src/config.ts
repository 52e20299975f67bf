import { analyticsConfigSchema } from '@waypoint/analytics-service';
import { auditConfigSchema } from '@waypoint/audit-service';
import { parseRetentionPolicy } from '@waypoint/privacy';
import { baseConfigSchema, organisationIdList } from '@waypoint/service-kit';
import { z } from 'zod';
import { DEMO_ORGANISATIONS } from './demo.js';

const base = baseConfigSchema.shape;

/**
 * The embedded process's configuration. Tokens are signed by a key generated at install, so the
 * AUTH_* keys of the distributed services are not needed here.
 */
export const allInOneConfigSchema = z.object({
  HOST: base.HOST,
  PORT: base.PORT,
  LOG_LEVEL: base.LOG_LEVEL,
  BODY_LIMIT_BYTES: base.BODY_LIMIT_BYTES,
  RATE_LIMIT_PER_MINUTE: base.RATE_LIMIT_PER_MINUTE,
  TOKEN_MAX_LIFETIME_SECONDS: base.TOKEN_MAX_LIFETIME_SECONDS,
  DATA_DIR: z
    .string()
    .min(1)
    .default('.data')
    .describe(
      'Folder for the event store, the key store and the install secrets (created on first start).',
    ),
  DEMO_JOURNEYS: z.coerce
    .number()
    .int()
    .min(0)
    .max(100_000)
    .default(0)
    .describe(
      'On start, make sure this many synthetic demo journeys exist, spread over the nine months before today (0: none). The demo organisations and shelters are always registered.',
    ),
  RETURN_RISK_ASSESSMENT_MAX_AGE_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(365)
    .default(30)
    .describe(
      'How old the latest return risk assessment may be when an assisted return is decided (the jurisdiction sets it; CoE Art. 16(2)).',
    ),
  DPO_ORG_IDS: organisationIdList
    .default([DEMO_ORGANISATIONS[0].orgId])
    .describe(
      `${base.DPO_ORG_IDS.description ?? ''} Default: the demo outreach organisation, where the demo DPO works.`,
    ),
  BREAK_GLASS_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_440)
    .default(60)
    .describe('How long a break-glass opening lasts.'),
  ...analyticsConfigSchema.shape,
  // The digest key is the installation's own (secrets.json); digests go to the data folder.
  AUDIT_PROFILES: auditConfigSchema.shape.AUDIT_PROFILES,
  AUDIT_DIGEST_INTERVAL_MS: auditConfigSchema.shape.AUDIT_DIGEST_INTERVAL_MS,
  AUDIT_SWEEP_INTERVAL_MS: auditConfigSchema.shape.AUDIT_SWEEP_INTERVAL_MS,
  ERASURE_RETENTION: z
    .string()
    .default('')
    .refine((text) => {
      try {
        parseRetentionPolicy(text);
        return true;
      } catch {
        return false;
      }
    }, 'category=days pairs, e.g. health=730,notes=1825')
    .describe(
      "Days each category of personal data is kept after the person's last journey closed (e.g. health=730,notes=1825); empty: no retention erasure.",
    ),
  ERASURE_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(86_400_000)
    .default(60_000)
    .describe('How often erasure duties run (confirmations, retention); 0: never.'),
});

export type AllInOneConfig = z.output<typeof allInOneConfigSchema>;
