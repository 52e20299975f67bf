import type { Role } from '@waypoint/contracts';
import type { JWK } from 'jose';
import { createAuthenticator, type Authenticator } from '../auth/authenticator.js';
import { generateSigningKeyPair, mintToken } from '../auth/signing-keys.js';

export interface TokenFor {
  readonly sub?: string;
  readonly org?: string;
  readonly roles: readonly Role[];
  /** Default 300. */
  readonly ttlSeconds?: number;
  readonly issuedAt?: Date;
}

export interface TestAuth {
  readonly authenticator: Authenticator;
  readonly issuer: string;
  readonly audience: string;
  readonly maxLifetimeSeconds: number;
  /** The key tokens are signed with, to build deliberately bad tokens in a spec. */
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
  /** A valid bearer token for these claims (`sub` and `org` default to fixed test ids). */
  tokenFor(claims: TokenFor): Promise<string>;
}

/** An authenticator backed by a fresh ES256 key, and a way to mint tokens it accepts. */
export async function testAuth(): Promise<TestAuth> {
  const { privateJwk, publicJwk } = await generateSigningKeyPair();
  const issuer = 'https://issuer.test.waypoint';
  const audience = 'waypoint-test';
  const maxLifetimeSeconds = 900;
  return {
    authenticator: createAuthenticator({ publicJwk }, { issuer, audience, maxLifetimeSeconds }),
    issuer,
    audience,
    maxLifetimeSeconds,
    privateJwk,
    publicJwk,
    tokenFor: (claims) =>
      mintToken(privateJwk, {
        sub: claims.sub ?? 'user-test',
        org: claims.org ?? 'org-test',
        roles: claims.roles,
        ttlSeconds: claims.ttlSeconds ?? 300,
        issuer,
        audience,
        ...(claims.issuedAt === undefined ? {} : { issuedAt: claims.issuedAt }),
      }),
  };
}
