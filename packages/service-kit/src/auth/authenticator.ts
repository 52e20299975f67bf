import { isRole, type Role } from '@waypoint/contracts';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JWK,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { HttpProblem } from '../errors.js';

/** Who is calling: from a verified token, never from anything else the client sends. */
export interface Principal {
  readonly userId: string;
  readonly orgId: string;
  readonly roles: readonly Role[];
}

export interface Authenticator {
  /** The principal of an `Authorization` header, or an UNAUTHENTICATED problem naming the reason. */
  authenticate(authorization: string | undefined): Promise<Principal>;
}

/** Where the verification keys come from: a JWKS endpoint in production, one key in embedded mode. */
export type KeySource = { readonly jwksUrl: string } | { readonly publicJwk: JWK };

export interface TokenRules {
  readonly issuer: string;
  readonly audience: string;
  /** Tokens are short-lived: `exp - iat` above this is refused. */
  readonly maxLifetimeSeconds: number;
  /** Clock skew allowed between the issuer and this service. */
  readonly clockToleranceSeconds?: number;
}

/** Asymmetric algorithms only: a service can verify but never mint, and `none` never verifies. */
export const ACCEPTED_ALGORITHMS = ['ES256', 'EdDSA', 'RS256'] as const;

const REQUIRED_CLAIMS = ['sub', 'org', 'roles', 'iat', 'exp'];
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

function unauthenticated(detail: string, tokenPresented: boolean): HttpProblem {
  const challenge = tokenPresented
    ? 'Bearer realm="waypoint", error="invalid_token"'
    : 'Bearer realm="waypoint"';
  return new HttpProblem('UNAUTHENTICATED', detail, {}, { 'www-authenticate': challenge });
}

const CLAIM_CHECKS: Readonly<Record<string, string>> = {
  iss: 'The token was issued by an issuer this service does not trust',
  aud: 'The token is meant for another audience',
  nbf: 'The token is not valid yet',
  iat: 'The token claims to be issued in the future',
};

/**
 * The reason a token failed, in words a client developer can act on. jose's own messages are not
 * reused: they are not a contract, and some quote claim values.
 */
function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) {
    return error.claim === 'iat' ? 'The token was issued too long ago' : 'The token has expired';
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return `The token has no "${error.claim}" claim`;
    if (error.reason === 'invalid') return `The token's "${error.claim}" claim is not valid`;
    return CLAIM_CHECKS[error.claim] ?? `The token's "${error.claim}" claim is not accepted`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return `The token's algorithm is not accepted (only ${ACCEPTED_ALGORITHMS.join(', ')})`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return 'The token signature does not verify';
  }
  if (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys
  ) {
    return 'No signing key of this service matches the token';
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return 'The signing keys could not be fetched; try again';
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
    return 'The token is malformed';
  }
  if (error instanceof errors.JOSENotSupported) {
    return 'The token uses an algorithm or key type this service does not support';
  }
  return 'The token could not be verified';
}

function principalOf(payload: JWTPayload, rules: TokenRules): Principal | string {
  const { sub, org, roles, iat, exp } = payload;
  if (typeof sub !== 'string' || sub === '') return 'The token\'s "sub" claim is not a user id';
  if (typeof org !== 'string' || org === '') {
    return 'The token\'s "org" claim is not an organisation id';
  }
  if (!Array.isArray(roles) || roles.length === 0) {
    return 'The token\'s "roles" claim must be a non-empty list of roles';
  }
  const known: Role[] = [];
  for (const role of roles as unknown[]) {
    if (!isRole(role)) return 'The token carries a role this service does not know';
    known.push(role);
  }
  if (iat === undefined || exp === undefined) return 'The token has no "iat" or "exp" claim';
  if (exp - iat > rules.maxLifetimeSeconds) {
    return `The token lives longer than the ${String(rules.maxLifetimeSeconds)} s this service accepts`;
  }
  return { userId: sub, orgId: org, roles: known };
}

function keysOf(source: KeySource): JWTVerifyGetKey {
  if ('jwksUrl' in source) return createRemoteJWKSet(new URL(source.jwksUrl));
  if ('d' in source.publicJwk) {
    throw new Error('The verification key is a private key: give the service the public part only');
  }
  return createLocalJWKSet({ keys: [source.publicJwk] });
}

/**
 * Tokens already verified, until they expire: a client sends the same token with every request
 * for its short life, and an ES256 signature check is the costliest step of a request. Keyed by
 * the whole token, so a token that differs in any byte is verified afresh; bounded in size.
 */
class VerifiedTokens {
  private readonly entries = new Map<string, { principal: Principal; expiresAtMs: number }>();

  constructor(private readonly maxEntries: number) {}

  get(token: string, nowMs: number): Principal | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.expiresAtMs <= nowMs) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.principal;
  }

  set(token: string, principal: Principal, expiresAtMs: number): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, { principal, expiresAtMs });
  }
}

export function createAuthenticator(source: KeySource, rules: TokenRules): Authenticator {
  const keys = keysOf(source);
  const verified = new VerifiedTokens(10_000);
  return {
    async authenticate(authorization) {
      if (authorization === undefined || authorization === '') {
        throw unauthenticated('A bearer token is required', false);
      }
      const token = BEARER.exec(authorization)?.[1];
      if (token === undefined) {
        throw unauthenticated('The Authorization header must be "Bearer <token>"', false);
      }
      const known = verified.get(token, Date.now());
      if (known) return known;
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          algorithms: [...ACCEPTED_ALGORITHMS],
          issuer: rules.issuer,
          audience: rules.audience,
          requiredClaims: REQUIRED_CLAIMS,
          // Also refuses an `iat` in the future.
          maxTokenAge: rules.maxLifetimeSeconds,
          clockTolerance: rules.clockToleranceSeconds ?? 5,
        }));
      } catch (error) {
        throw unauthenticated(reasonOf(error), true);
      }
      const principal = principalOf(payload, rules);
      if (typeof principal === 'string') throw unauthenticated(principal, true);
      // Verified: reuse until expiry, less the clock tolerance jwtVerify allowed.
      if (payload.exp !== undefined)
        verified.set(token, principal, (payload.exp - (rules.clockToleranceSeconds ?? 5)) * 1000);
      return principal;
    },
  };
}
