import { mintToken } from '@waypoint/service-kit';
import type { JWK } from 'jose';
import { DEMO_AUDIENCE, DEMO_ISSUER, DEMO_USERS, demoUser } from './demo.js';

/** A short-lived token for a demo user (named by its role), signed with the install's key. */
export function demoToken(privateJwk: JWK, user: string, ttlSeconds = 900): Promise<string> {
  const demo = demoUser(user);
  if (!demo)
    throw new Error(`unknown demo user ${user}; one of: ${Object.keys(DEMO_USERS).join(', ')}`);
  return mintToken(privateJwk, {
    sub: demo.sub,
    org: demo.org,
    roles: demo.roles,
    ttlSeconds,
    issuer: DEMO_ISSUER,
    audience: DEMO_AUDIENCE,
  });
}
