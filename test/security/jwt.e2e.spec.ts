import { generateSigningKeyPair } from '@waypoint/service-kit';
import { base64url, importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeaks } from './support/expectations.js';
import { ORGS, startWorld, type World, SETUP_TIMEOUT } from './support/world.js';

/**
 * Every way a bearer token can be wrong is refused the same way: 401, problem+json, a Bearer
 * challenge, and a detail that names the kind of failure without echoing anything the token
 * carried (claims, key ids, the verifier's own messages).
 */
let world: World;
beforeAll(async () => {
  world = await startWorld({ demoJourneys: 0 });
}, SETUP_TIMEOUT);
afterAll(async () => {
  await world.close();
}, SETUP_TIMEOUT);

const ROUTE = '/journeys';
const SUB = 'canary-user-7f3a';
const now = (): number => Math.floor(Date.now() / 1000);

interface Forge {
  readonly claims?: JWTPayload;
  readonly header?: Record<string, unknown>;
  readonly key?: JWK;
}

/** A token signed with the install's key (or `key`), with these claims over sane defaults. */
async function forge({ claims = {}, header = {}, key }: Forge = {}): Promise<string> {
  const jwk = key ?? world.privateJwk;
  const alg = jwk.alg ?? 'ES256';
  const iat = now();
  const claimed: JWTPayload = {
    sub: SUB,
    org: ORGS.outreach,
    roles: ['caseworker'],
    iss: world.issuer,
    aud: world.audience,
    iat,
    exp: iat + 300,
    ...claims,
  };
  // A claim set to undefined is left out of the token.
  const payload = Object.fromEntries(
    Object.entries(claimed).filter(([, value]) => value !== undefined),
  );
  return new SignJWT(payload)
    .setProtectedHeader({
      alg,
      typ: 'JWT',
      ...(jwk.kid === undefined ? {} : { kid: jwk.kid }),
      ...header,
    })
    .sign(await importJWK(jwk, alg));
}

const segment = (value: unknown): string => base64url.encode(JSON.stringify(value));

async function refusal(token: string) {
  const response = await world.call({ method: 'GET', url: ROUTE, token });
  return response;
}

/** What a refused token's answer must look like, and must not contain. */
async function expectRefused(token: string, mustNotEcho: readonly string[] = []): Promise<string> {
  const response = await refusal(token);
  expect(response.status, response.text).toBe(401);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(String(response.headers['www-authenticate'])).toMatch(/^Bearer realm="waypoint"/);
  const problem = response.json as { code: string; detail: string };
  expect(problem.code).toBe('UNAUTHENTICATED');
  // Only values long enough that finding one in the body cannot be a coincidence.
  const echoes = [SUB, token, token.split('.')[2] ?? '', ...mustNotEcho].filter(
    (value) => value.length >= 8 && response.text.includes(value),
  );
  expect(echoes, response.text).toEqual([]);
  // jose's own wording and codes are not a contract and some quote claim values.
  expect(response.text).not.toMatch(/ERR_J|JWS|JWK|JWT[A-Z]|"kid"|claim value|unexpected "/);
  expectNoLeaks(response.text);
  return problem.detail;
}

describe('a bearer token', () => {
  it('that is valid is accepted (so the refusals below are about the token)', async () => {
    expect((await refusal(await forge())).status).toBe(200);
  });

  describe('that is forged', () => {
    it('with a tampered signature is refused, even when the genuine token was just accepted', async () => {
      const genuine = await forge();
      expect((await refusal(genuine)).status).toBe(200);
      const [header, payload, signature = ''] = genuine.split('.');
      const middle = Math.floor(signature.length / 2);
      const flipped = signature[middle] === 'A' ? 'B' : 'A';
      const tampered = `${String(header)}.${String(payload)}.${signature.slice(0, middle)}${flipped}${signature.slice(middle + 1)}`;
      await expectRefused(tampered);
    });

    it('with a payload swapped under a genuine signature (role escalation) is refused', async () => {
      const genuine = await forge();
      const [header, , signature] = genuine.split('.');
      const escalated = segment({
        sub: SUB,
        org: ORGS.outreach,
        roles: ['data_protection_officer'],
        iss: world.issuer,
        aud: world.audience,
        iat: now(),
        exp: now() + 300,
      });
      await expectRefused(`${String(header)}.${escalated}.${String(signature)}`);
    });

    it('with alg "none" is refused', async () => {
      const unsigned = `${segment({ alg: 'none', typ: 'JWT' })}.${segment({
        sub: SUB,
        org: ORGS.outreach,
        roles: ['caseworker'],
        iss: world.issuer,
        aud: world.audience,
        iat: now(),
        exp: now() + 300,
      })}.`;
      await expectRefused(unsigned);
      await expectRefused(`${unsigned}AAAA`);
    });

    it('with HS256 keyed by the public key (algorithm confusion) is refused', async () => {
      const { d: _private, ...publicJwk } = world.privateJwk;
      const secret = new TextEncoder().encode(JSON.stringify(publicJwk));
      const confused = await new SignJWT({ org: ORGS.outreach, roles: ['caseworker'] })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: String(world.privateJwk.kid) })
        .setSubject(SUB)
        .setIssuer(world.issuer)
        .setAudience(world.audience)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(secret);
      await expectRefused(confused, [String(world.privateJwk.kid)]);
    });

    it('with another key is refused, whether it names its own key id or the install key id', async () => {
      const other = await generateSigningKeyPair();
      await expectRefused(await forge({ key: other.privateJwk }), [String(other.privateJwk.kid)]);
      await expectRefused(
        await forge({ key: { ...other.privateJwk, kid: String(world.privateJwk.kid) } }),
        [String(world.privateJwk.kid)],
      );
      const { kid: _kid, ...anonymousKey } = other.privateJwk;
      await expectRefused(await forge({ key: anonymousKey }));
    });

    it('with an embedded key (jwk header) of its own is refused', async () => {
      const other = await generateSigningKeyPair();
      const { d: _private, ...publicJwk } = other.privateJwk;
      await expectRefused(await forge({ key: other.privateJwk, header: { jwk: publicJwk } }));
    });

    it('that is not a JWT at all is refused', async () => {
      for (const token of ['garbage', 'a.b.c', `${segment({ alg: 'ES256' })}.e30.`, '...']) {
        await expectRefused(token);
      }
    });
  });

  describe('that is genuine but not for now', () => {
    it('when it has expired is refused', async () => {
      const detail = await expectRefused(
        await forge({ claims: { iat: now() - 600, exp: now() - 60 } }),
      );
      expect(detail).toMatch(/expired|too long ago/);
    });

    it('when it is not valid yet is refused', async () => {
      await expectRefused(await forge({ claims: { nbf: now() + 600 } }));
      await expectRefused(await forge({ claims: { iat: now() + 600, exp: now() + 900 } }));
    });

    it('when it lives longer than the maximum lifetime is refused', async () => {
      const detail = await expectRefused(
        await forge({ claims: { iat: now(), exp: now() + 24 * 3600 } }),
      );
      expect(detail).toMatch(/lives longer/);
      // A long-lived token is refused even before it would expire.
      await expectRefused(await forge({ claims: { iat: now() - 10, exp: now() + 901 } }));
    });

    it('when it was issued longer ago than the maximum lifetime is refused', async () => {
      await expectRefused(await forge({ claims: { iat: now() - 3600, exp: now() + 60 } }));
    });
  });

  describe('that is genuine but not for us', () => {
    it('with another audience is refused', async () => {
      await expectRefused(await forge({ claims: { aud: 'canary-audience-91c2' } }), [
        'canary-audience-91c2',
      ]);
    });

    it('with another issuer is refused', async () => {
      await expectRefused(await forge({ claims: { iss: 'https://canary-issuer-55d1.example' } }), [
        'canary-issuer-55d1',
      ]);
    });
  });

  describe('that is genuine but incomplete or odd', () => {
    it.each([['sub'], ['org'], ['roles'], ['iat'], ['exp'], ['iss'], ['aud']])(
      'without "%s" is refused',
      async (claim) => {
        await expectRefused(await forge({ claims: { [claim]: undefined } }));
      },
    );

    it.each([
      ['an unknown role', { roles: ['superuser-canary'] }],
      ['an unknown role beside a known one', { roles: ['caseworker', 'root-canary'] }],
      ['no roles', { roles: [] }],
      ['roles as a string', { roles: 'caseworker' }],
      ['an empty subject', { sub: '' }],
      ['an empty organisation', { org: '' }],
      ['an organisation that is not a string', { org: { $ne: null } }],
    ])('with %s is refused', async (_name, claims: JWTPayload) => {
      await expectRefused(await forge({ claims }), ['superuser-canary', 'root-canary']);
    });
  });

  describe('that is missing or badly sent', () => {
    it.each([
      ['no Authorization header', undefined],
      ['a Basic scheme', 'Basic dXNlcjpwYXNz'],
      ['Bearer with nothing', 'Bearer '],
      ['two tokens', 'Bearer a.b.c d.e.f'],
    ])('with %s is refused', async (_name, authorization) => {
      const response = await world.call({
        method: 'GET',
        url: ROUTE,
        ...(authorization === undefined ? {} : { headers: { authorization } }),
      });
      expect(response.status).toBe(401);
      expect((response.json as { code: string }).code).toBe('UNAUTHENTICATED');
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    });
  });

  it('leaks no internals in any refusal of this suite', () => {
    expect(world.errors.count).toBeGreaterThan(20);
    expect(world.errors.leaks()).toEqual([]);
  });
});
