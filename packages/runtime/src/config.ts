import { z } from 'zod';
import { baseConfigSchema } from '@waypoint/service-kit';

const base = baseConfigSchema.shape;

const optionalText = z.string().min(1).optional();
const milliseconds = (fallback: number) =>
  z.coerce.number().int().min(100).max(3_600_000).default(fallback);

const postgresUrl = z.string().regex(/^postgres(?:ql)?:\/\/\S+$/, 'must be a postgres:// URL');

/**
 * The keys every service of the distributed mode shares, on top of the kit's (listening, auth,
 * logs). Secrets come from files (`*_FILE`, as compose and Kubernetes mount them) or, for a local
 * run, from the value itself; never both. URLs carry no password: it comes from its own file.
 */
export const DISTRIBUTED_CONFIG_SHAPE = {
  ...base,
  EVENT_STORE_URL: z
    .string()
    .regex(
      /^(?:postgres(?:ql)?|esdb(?:\+discover)?):\/\/\S+$/,
      'must be a postgres://, esdb:// or esdb+discover:// URL',
    )
    .describe(
      "The service's event store: postgres://… (PostgreSQL) or esdb://… / esdb+discover://… (KurrentDB). Several services may share one (then their facts need no Kafka).",
    ),
  EVENT_STORE_PASSWORD_FILE: optionalText.describe(
    'File holding the password of a postgres:// EVENT_STORE_URL (the URL carries none).',
  ),
  READ_MODEL_DATABASE_URL: postgresUrl.describe(
    "The service's PostgreSQL database: its read models, Idempotency-Key records and Kafka relay checkpoint (several services may share one).",
  ),
  READ_MODEL_DATABASE_PASSWORD_FILE: optionalText.describe(
    'File holding the password of READ_MODEL_DATABASE_URL.',
  ),
  KEY_STORE_DATABASE_URL: postgresUrl
    .optional()
    .describe(
      'PostgreSQL database of the per-person data keys, shared by every service (they encrypt and decrypt under the same keys). Default: READ_MODEL_DATABASE_URL; better a database of its own, so that one leak is not both.',
    ),
  KEY_STORE_DATABASE_PASSWORD_FILE: optionalText.describe(
    'File holding the password of KEY_STORE_DATABASE_URL.',
  ),
  MASTER_KEY: optionalText.describe(
    'The key-encryption key, `<id>:<base64 of 32 bytes>`. Set this or MASTER_KEY_FILE, not both.',
  ),
  MASTER_KEY_FILE: optionalText.describe(
    'File holding the key-encryption key (`<id>:<base64 of 32 bytes>`). Set this or MASTER_KEY.',
  ),
  DATABASE_POOL_SIZE: z.coerce
    .number()
    .int()
    .min(2)
    .max(100)
    .default(10)
    .describe(
      "Bounds the service's PostgreSQL pools: the event store's gets this many, the projections' at most 5, the read-model pool and the key store's at most 5 and fewer than this. `processConnections` (docs/testing.md) gives what one process holds at most; keep the sum over every process below the server's max_connections.",
    ),
  KAFKA_BROKERS: z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((broker) => broker.trim())
        .filter((broker) => broker !== ''),
    )
    .pipe(z.array(z.string().regex(/^[^\s:]+:\d+$/, 'must be host:port')).min(1))
    .optional()
    .describe(
      'Comma-separated Kafka bootstrap brokers (host:port). Turns on the relay to the service topic, and read models and journey facts fed from Kafka.',
    ),
  KAFKA_IDEMPOTENT_PRODUCER: z
    .stringbool()
    .default(false)
    .describe(
      "kafkajs's idempotent producer: turn it on against real brokers (librdkafka's mock cannot serve it).",
    ),
  KAFKA_SESSION_TIMEOUT_MS: milliseconds(30_000).describe(
    'A consumer silent for longer is taken out of its group.',
  ),
  KAFKA_REBALANCE_TIMEOUT_MS: milliseconds(60_000).describe(
    'How long a rebalance waits for every member of a group to rejoin.',
  ),
  JOURNEY_FACTS_SOURCE: z
    .enum(['store', 'kafka'])
    .optional()
    .describe(
      "Where a service that needs the identification facts (consents, who sees a journey) reads them: `store` when EVENT_STORE_URL is the identification service's store too (a shared store), `kafka` (waypoint.identification.v1) otherwise. Default: kafka when KAFKA_BROKERS is set, else store.",
    ),
};

/** Both keys of a secret given, or neither: the message names the pair. */
export type SecretPair = readonly [value: string, file: string];

const CORE_SECRETS: readonly SecretPair[] = [['MASTER_KEY', 'MASTER_KEY_FILE']];

/**
 * A service's configuration schema: the shared keys, the service's own, and the checks across
 * keys (exactly one source of token keys, exactly one of each secret and its file).
 */
export function distributedConfigSchema<Extra extends z.ZodRawShape>(
  extra: Extra,
  secrets: readonly SecretPair[] = [],
) {
  return z.object({ ...DISTRIBUTED_CONFIG_SHAPE, ...extra }).superRefine(
    (config: Record<string, unknown>, context) => {
      const given = ['AUTH_JWKS_URL', 'AUTH_PUBLIC_JWK'].filter((key) => config[key] !== undefined);
      if (given.length !== 1)
        context.addIssue({
          code: 'custom',
          path: ['AUTH_JWKS_URL'],
          message: `set exactly one of AUTH_JWKS_URL and AUTH_PUBLIC_JWK (${given.length === 0 ? 'neither is set' : 'both are set'})`,
        });
      for (const [value, file] of [...CORE_SECRETS, ...secrets]) {
        const count = [value, file].filter((key) => config[key] !== undefined).length;
        if (count !== 1)
          context.addIssue({
            code: 'custom',
            path: [value],
            message: `set exactly one of ${value} and ${file} (${count === 0 ? 'neither is set' : 'both are set'})`,
          });
      }
    },
    // Checked even when other keys are bad, so one start lists every problem.
    { when: () => true },
  );
}

/** The shared keys alone (what `describeConfig` documents for every service). */
export const sharedDistributedConfigSchema = distributedConfigSchema({});

/** What the shared bootstrap reads; a service's configuration holds this and its own keys. */
export type DistributedConfig = z.output<typeof sharedDistributedConfigSchema>;
