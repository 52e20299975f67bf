import { readFileSync } from 'node:fs';
import type { JWK } from 'jose';
import { z } from 'zod';
import { createAuthenticator, type Authenticator } from '../auth/authenticator.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const positiveInteger = z.coerce.number().int().positive();

/** A public JWK given as JSON text. A private key here is refused: services only verify. */
const publicJwkJson = z.string().transform((text, context): JWK => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || !('kty' in value)) {
    context.addIssue({
      code: 'custom',
      message: 'must be a JSON Web Key: a JSON object with "kty"',
    });
    return z.NEVER;
  }
  if ('d' in value) {
    context.addIssue({
      code: 'custom',
      message: 'holds a private key ("d"): give the service the public key only',
    });
    return z.NEVER;
  }
  return value as JWK;
});

/** Organisation ids given as comma-separated text (blank: none). */
export const organisationIdList = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== ''),
  )
  .pipe(z.array(z.uuid({ error: 'must be organisation ids (UUIDs), comma-separated' })).max(100));

/**
 * The keys every service shares. A service extends it with its own keys
 * (`baseConfigSchema.extend({ EVENT_STORE_URL: ... })`), each described where it is declared.
 */
export const baseConfigSchema = z
  .object({
    HOST: z
      .string()
      .min(1)
      .default('127.0.0.1')
      .describe(
        'Address to listen on. Loopback unless configured: set 0.0.0.0 only inside a container or behind a proxy.',
      ),
    PORT: z.coerce
      .number()
      .int()
      .min(0)
      .max(65535)
      .default(3000)
      .describe('TCP port to listen on (0 picks a free one).'),
    LOG_LEVEL: z
      .enum(LOG_LEVELS)
      .default('info')
      .describe(`Pino log level: ${LOG_LEVELS.join(', ')}.`),
    BODY_LIMIT_BYTES: positiveInteger
      .default(65536)
      .describe('Largest request body accepted, in bytes; larger bodies get 413.'),
    RATE_LIMIT_PER_MINUTE: positiveInteger
      .default(600)
      .describe(
        'Requests per minute per user (per client address when unauthenticated); over it, 429.',
      ),
    AUTH_JWKS_URL: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe(
        'URL of the token issuer JWKS (distributed mode). Set this or AUTH_PUBLIC_JWK, not both.',
      ),
    AUTH_PUBLIC_JWK: publicJwkJson
      .optional()
      .describe(
        'The token signing public key as JWK JSON (embedded mode). Set this or AUTH_JWKS_URL, not both.',
      ),
    AUTH_ISSUER: z.string().min(1).describe('Expected `iss` of bearer tokens.'),
    AUTH_AUDIENCE: z.string().min(1).describe('Expected `aud` of bearer tokens.'),
    TOKEN_MAX_LIFETIME_SECONDS: positiveInteger
      .max(3_600)
      .default(900)
      .describe(
        'Longest token lifetime (`exp - iat`) accepted, in seconds (at most an hour): tokens are short-lived.',
      ),
    METRICS_CREDENTIAL_FILE: z
      .string()
      .min(1)
      .optional()
      .describe(
        'File holding the bearer secret Prometheus shows at /metrics (its `authorization.credentials_file`). Unset: /metrics is not served.',
      ),
    DPO_ORG_IDS: organisationIdList
      .default([])
      .describe(
        "The organisations whose data-protection officers this installation recognises (comma-separated ids): a token with the role from any other organisation is not a DPO. They count as known before the directory holds them (the operator's own organisation registers the directory); every other token must name an organisation in the directory, or gets 403.",
      ),
    OTEL_EXPORTER_OTLP_ENDPOINT: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe('OTLP/HTTP collector base URL; traces are exported only when it is set.'),
  })
  .superRefine(
    (config, context) => {
      const given = [config.AUTH_JWKS_URL, config.AUTH_PUBLIC_JWK].filter((v) => v !== undefined);
      if (given.length !== 1) {
        context.addIssue({
          code: 'custom',
          path: ['AUTH_JWKS_URL'],
          message: `set exactly one of AUTH_JWKS_URL and AUTH_PUBLIC_JWK (${given.length === 0 ? 'neither is set' : 'both are set'})`,
        });
      }
    },
    // Checked even when other keys are bad, so one start lists every problem.
    { when: () => true },
  );

export type BaseConfig = z.output<typeof baseConfigSchema>;

/** The metrics credential the configuration points to, read from its file (trimmed). */
export function metricsCredentialFromConfig(config: BaseConfig): string | undefined {
  if (config.METRICS_CREDENTIAL_FILE === undefined) return undefined;
  const credential = readFileSync(config.METRICS_CREDENTIAL_FILE, 'utf8').trim();
  if (credential.length < 16) {
    throw new Error('METRICS_CREDENTIAL_FILE must hold a secret of at least 16 characters');
  }
  return credential;
}

/** The authenticator the configuration describes. */
export function authenticatorFromConfig(config: BaseConfig): Authenticator {
  const rules = {
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
    maxLifetimeSeconds: config.TOKEN_MAX_LIFETIME_SECONDS,
  };
  if (config.AUTH_JWKS_URL !== undefined) {
    return createAuthenticator({ jwksUrl: config.AUTH_JWKS_URL }, rules);
  }
  if (config.AUTH_PUBLIC_JWK !== undefined) {
    return createAuthenticator({ publicJwk: config.AUTH_PUBLIC_JWK }, rules);
  }
  throw new Error('Neither AUTH_JWKS_URL nor AUTH_PUBLIC_JWK is set');
}
