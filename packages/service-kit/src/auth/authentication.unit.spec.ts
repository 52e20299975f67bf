import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, UnsecuredJWT, importJWK, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoApp, type DemoApp } from '../spec-support/demo-app.js';
import { http } from '../testing/http.js';
import { createAuthenticator } from './authenticator.js';
import { generateSigningKeyPair, mintToken } from './signing-keys.js';

const MINUTE = 60 * 1000;

describe('authentication', () => {
  let demo: DemoApp;
  beforeAll(async () => {
    demo = await demoApp();
  });
  afterAll(async () => {
    await demo.app.close();
  });

  /** A token signed with the demo's key, with exactly these claims. */
  async function signed(claims: JWTPayload, alg = 'ES256'): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      sub: 'user-1',
      org: 'org-1',
      roles: ['caseworker'],
      iss: demo.auth.issuer,
      aud: demo.auth.audience,
      iat: now,
      exp: now + 300,
      ...claims,
    })
      .setProtectedHeader({ alg, kid: demo.auth.privateJwk.kid ?? '' })
      .sign(await importJWK(demo.auth.privateJwk, alg));
  }

  function withoutClaim(claim: string): Promise<string> {
    return signed({ [claim]: undefined });
  }

  it('lets a valid token through and exposes the principal', async () => {
    const token = await demo.auth.tokenFor({ sub: 'user-7', org: 'org-3', roles: ['caseworker'] });
    const response = await http(demo.app).get('/whoami').as(token).expect(200);
    expect(response.body).toEqual({ userId: 'user-7', orgId: 'org-3', roles: ['caseworker'] });
  });

  describe('refuses with 401 UNAUTHENTICATED, naming the reason and never echoing the token', () => {
    const cases: [string, () => Promise<string | undefined>, RegExp][] = [
      ['no token', () => Promise.resolve(undefined), /bearer token is required/],
      ['a malformed token', () => Promise.resolve('not-a-jwt'), /malformed/],
      [
        'a tampered signature',
        async () => {
          const token = await demo.auth.tokenFor({ roles: ['caseworker'] });
          const [header, payload, signature] = token.split('.');
          const flipped = `${signature?.startsWith('A') === true ? 'B' : 'A'}${signature?.slice(1) ?? ''}`;
          return `${header ?? ''}.${payload ?? ''}.${flipped}`;
        },
        /signature does not verify/,
      ],
      [
        'a tampered payload',
        async () => {
          const token = await demo.auth.tokenFor({ roles: ['caseworker'] });
          const [header, , signature] = token.split('.');
          const payload = Buffer.from(
            JSON.stringify({ sub: 'user-1', org: 'org-1', roles: ['admin'] }),
          ).toString('base64url');
          return `${header ?? ''}.${payload}.${signature ?? ''}`;
        },
        /signature does not verify/,
      ],
      [
        'alg none',
        () =>
          Promise.resolve(
            new UnsecuredJWT({ sub: 'user-1', org: 'org-1', roles: ['caseworker'] })
              .setIssuer(demo.auth.issuer)
              .setAudience(demo.auth.audience)
              .setIssuedAt()
              .setExpirationTime('5m')
              .encode(),
          ),
        /algorithm is not accepted/,
      ],
      [
        'a symmetric algorithm',
        async () => {
          const now = Math.floor(Date.now() / 1000);
          return new SignJWT({ sub: 'u', org: 'o', roles: ['caseworker'], iat: now, exp: now + 60 })
            .setProtectedHeader({ alg: 'HS256' })
            .setIssuer(demo.auth.issuer)
            .setAudience(demo.auth.audience)
            .sign(new TextEncoder().encode('a-shared-secret-that-is-long-enough-for-hs256'));
        },
        /algorithm is not accepted/,
      ],
      [
        'a key this service does not know',
        async () => {
          const stranger = await generateSigningKeyPair();
          return mintToken(stranger.privateJwk, {
            sub: 'u',
            org: 'o',
            roles: ['caseworker'],
            ttlSeconds: 60,
            issuer: demo.auth.issuer,
            audience: demo.auth.audience,
          });
        },
        /No signing key/,
      ],
      [
        'an expired token',
        () =>
          demo.auth.tokenFor({
            roles: ['caseworker'],
            issuedAt: new Date(Date.now() - 10 * MINUTE),
            ttlSeconds: 60,
          }),
        /expired/,
      ],
      [
        'a token from the future',
        () =>
          signed({
            iat: Math.floor(Date.now() / 1000) + 600,
            exp: Math.floor(Date.now() / 1000) + 700,
          }),
        /issued in the future/,
      ],
      ['the wrong issuer', () => signed({ iss: 'https://elsewhere.example' }), /issuer/],
      ['the wrong audience', () => signed({ aud: 'another-service' }), /audience/],
      ['no sub', () => withoutClaim('sub'), /"sub"/],
      ['no org', () => withoutClaim('org'), /"org"/],
      ['no roles', () => withoutClaim('roles'), /"roles"/],
      ['empty roles', () => signed({ roles: [] }), /non-empty list of roles/],
      [
        'an unknown role',
        () => signed({ roles: ['caseworker', 'wizard'] }),
        /role this service does not know/,
      ],
      ['no exp', () => withoutClaim('exp'), /"exp"/],
      [
        'a lifetime over the maximum',
        () => demo.auth.tokenFor({ roles: ['caseworker'], ttlSeconds: 3600 }),
        /lives longer than the 900 s/,
      ],
    ];

    it.each(cases)('%s', async (_name, tokenOf, reason) => {
      const token = await tokenOf();
      const request = http(demo.app).get('/whoami');
      const response = await (token === undefined ? request : request.as(token)).send();
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ code: 'UNAUTHENTICATED' });
      expect((response.body as { detail: string }).detail).toMatch(reason);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="waypoint"/);
      if (token !== undefined) expect(response.text).not.toContain(token);
    });

    it('a header that is not a bearer token', async () => {
      const token = await demo.auth.tokenFor({ roles: ['caseworker'] });
      const problem = await http(demo.app)
        .get('/whoami')
        .header('authorization', `Basic ${token}`)
        .expectProblem(401, 'UNAUTHENTICATED');
      expect(problem.detail).toMatch(/Bearer <token>/);
    });
  });

  it('lets public routes through without a token', async () => {
    await http(demo.app).get('/public/ping').expect(200);
  });
});

describe('authorisation', () => {
  let demo: DemoApp;
  beforeAll(async () => {
    demo = await demoApp();
  });
  afterAll(async () => {
    await demo.app.close();
  });

  it('answers 403 FORBIDDEN when none of the roles may call the route', async () => {
    const analyst = await demo.auth.tokenFor({ roles: ['analyst', 'auditor'] });
    const problem = await http(demo.app)
      .post(`/journeys/${randomUUID()}/exits`)
      .as(analyst)
      .expectProblem(403, 'FORBIDDEN');
    expect(problem.detail).toMatch(/shelter_staff/);
  });

  it('lets the call through when one of the roles may call it', async () => {
    const token = await demo.auth.tokenFor({ roles: ['analyst', 'auditor'] });
    await http(demo.app).get('/whoami').as(token).expect(200);
  });

  it('checks authentication before reading the body', async () => {
    const problem = await http(demo.app)
      .post(`/journeys/${randomUUID()}/admissions`, '{not json')
      .header('content-type', 'application/json')
      .expectProblem(401, 'UNAUTHENTICATED');
    expect(problem.detail).toMatch(/required/);
  });
});

describe('verification keys from a JWKS endpoint', () => {
  let server: Server;
  let jwksUrl: string;
  let keys: Awaited<ReturnType<typeof generateSigningKeyPair>>;
  beforeAll(async () => {
    keys = await generateSigningKeyPair();
    server = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [keys.publicJwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/jwks.json`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('verifies tokens signed with a key the endpoint publishes', async () => {
    const rules = { issuer: 'iss', audience: 'aud', maxLifetimeSeconds: 900 };
    const authenticator = createAuthenticator({ jwksUrl }, rules);
    const token = await mintToken(keys.privateJwk, {
      sub: 'user-1',
      org: 'org-1',
      roles: ['supervisor'],
      ttlSeconds: 60,
      issuer: 'iss',
      audience: 'aud',
    });
    await expect(authenticator.authenticate(`Bearer ${token}`)).resolves.toEqual({
      userId: 'user-1',
      orgId: 'org-1',
      roles: ['supervisor'],
    });
  });
});

describe('createAuthenticator', () => {
  it('refuses a private key as the verification key', async () => {
    const { privateJwk } = await generateSigningKeyPair();
    expect(() =>
      createAuthenticator(
        { publicJwk: privateJwk },
        { issuer: 'i', audience: 'a', maxLifetimeSeconds: 60 },
      ),
    ).toThrow(/private key/);
  });
});
