import type { Role } from '@waypoint/contracts';
import {
  SignJWT,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
} from 'jose';

export interface SigningKeyPair {
  /** Stays with whoever issues tokens (the embedded mode's login, a test). */
  readonly privateJwk: JWK;
  /** What services verify with (`AUTH_PUBLIC_JWK`). */
  readonly publicJwk: JWK;
}

/** A fresh ES256 key pair, with its thumbprint as `kid`, for the embedded mode and tests. */
export async function generateSigningKeyPair(): Promise<SigningKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const common = { alg: 'ES256', use: 'sig', kid };
  return {
    privateJwk: { ...(await exportJWK(privateKey)), ...common },
    publicJwk: { ...publicJwk, ...common },
  };
}

export interface TokenRequest {
  readonly sub: string;
  readonly org: string;
  readonly roles: readonly Role[];
  readonly ttlSeconds: number;
  readonly issuer: string;
  readonly audience: string;
  /** Defaults to now. */
  readonly issuedAt?: Date;
}

/** A token the kit's authenticator accepts: the claims it requires, signed with the private key. */
export async function mintToken(privateJwk: JWK, request: TokenRequest): Promise<string> {
  const alg = privateJwk.alg ?? 'ES256';
  const key = await importJWK(privateJwk, alg);
  const iat = Math.floor((request.issuedAt ?? new Date()).getTime() / 1000);
  return new SignJWT({ org: request.org, roles: [...request.roles] })
    .setProtectedHeader({
      alg,
      typ: 'JWT',
      ...(privateJwk.kid === undefined ? {} : { kid: privateJwk.kid }),
    })
    .setSubject(request.sub)
    .setIssuer(request.issuer)
    .setAudience(request.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + request.ttlSeconds)
    .sign(key);
}
