import {
  participantConfigSchema,
  secretOf,
  startDistributedParticipant,
  type DistributedParticipant,
  type LogDestination,
} from '@waypoint/runtime';
import { z } from 'zod';
import { auditConfigSchema, profilesOf } from './config.js';
import { DigestLog, digestKeysFromPem } from './integrity/digests.js';
import { auditService } from './service.js';

const audit = auditConfigSchema.shape;

/**
 * The audit service's settings in the distributed mode: the shared keys, those of its part in
 * erasures, and its own, with the digest key also readable from a file (a mounted secret).
 */
export const auditDistributedConfigSchema = participantConfigSchema(
  {
    AUDIT_PROFILES: audit.AUDIT_PROFILES,
    AUDIT_DIGEST_PATH: audit.AUDIT_DIGEST_PATH,
    AUDIT_DIGEST_KEY: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Ed25519 private key (PKCS#8 PEM) that signs the digests. Set this or AUDIT_DIGEST_KEY_FILE.',
      ),
    AUDIT_DIGEST_KEY_FILE: z
      .string()
      .min(1)
      .optional()
      .describe('File holding the digest key (PKCS#8 PEM). Set this or AUDIT_DIGEST_KEY.'),
    AUDIT_DIGEST_KEY_ID: audit.AUDIT_DIGEST_KEY_ID,
    AUDIT_DIGEST_INTERVAL_MS: audit.AUDIT_DIGEST_INTERVAL_MS,
    AUDIT_SWEEP_INTERVAL_MS: audit.AUDIT_SWEEP_INTERVAL_MS,
  },
  [['AUDIT_DIGEST_KEY', 'AUDIT_DIGEST_KEY_FILE']],
);

export type AuditDistributedConfig = z.output<typeof auditDistributedConfigSchema>;

/**
 * The audit service on its own: findings and the access log are built from every service's events
 * (their Kafka topics, or the shared store), and it decides who sees what on the journeys'
 * identification facts. The on-demand audit, the decision log and the integrity checks read the
 * journeys' streams from EVENT_STORE_URL: they need the store the write services share.
 */
export async function startDistributedAudit(
  config: AuditDistributedConfig,
  logDestination?: LogDestination,
): Promise<DistributedParticipant> {
  const digestKey = await secretOf(
    config.AUDIT_DIGEST_KEY,
    config.AUDIT_DIGEST_KEY_FILE,
    'AUDIT_DIGEST_KEY',
  );
  return startDistributedParticipant(
    auditService({
      profiles: profilesOf(config),
      digests: {
        log: new DigestLog(config.AUDIT_DIGEST_PATH),
        keys: digestKeysFromPem(config.AUDIT_DIGEST_KEY_ID, digestKey),
      },
      sweepIntervalMs: config.AUDIT_SWEEP_INTERVAL_MS,
      digestIntervalMs: config.AUDIT_DIGEST_INTERVAL_MS,
    }),
    config,
    logDestination,
  );
}
