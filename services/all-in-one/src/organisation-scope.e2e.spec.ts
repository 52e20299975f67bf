import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Role } from '@waypoint/contracts';
import { mintToken, routeAccess } from '@waypoint/service-kit';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allInOneConfigSchema } from './config.js';
import { DEMO_AUDIENCE, DEMO_ISSUER, DEMO_ORGANISATIONS } from './demo.js';
import { startEmbedded } from './embedded.js';

const folder = mkdtempSync(join(tmpdir(), 'waypoint-org-scope-'));
const quiet = new Writable({
  write(_chunk, _encoding, done) {
    done();
  },
});
const ANY_ID = '0193e000-0000-7000-8000-000000000001';
const INVENTED_ORG = '0193e000-0000-7000-8000-0000000000ff';
const CLINIC = DEMO_ORGANISATIONS[2].orgId;

let embedded: Awaited<ReturnType<typeof startEmbedded>>;
beforeAll(async () => {
  embedded = await startEmbedded(
    allInOneConfigSchema.parse({ DATA_DIR: folder, DEMO_JOURNEYS: '0' }),
    quiet,
  );
}, 120_000);
afterAll(async () => {
  await embedded.close();
  rmSync(folder, { recursive: true, force: true });
});

const token = (org: string, roles: readonly Role[]) =>
  mintToken(embedded.secrets.signingKey.privateJwk, {
    sub: `scope-${roles.join('-')}`,
    org,
    roles,
    ttlSeconds: 300,
    issuer: DEMO_ISSUER,
    audience: DEMO_AUDIENCE,
  });

/** Every route that authenticates, its path parameters filled in. */
function authenticatedRoutes(app: FastifyInstance) {
  return routeAccess(app).flatMap((route) =>
    'public' in route.access || route.method === 'HEAD'
      ? []
      : [{ ...route, roles: route.access.roles, path: route.url.replace(/:\w+/g, ANY_ID) }],
  );
}

describe('every service of the embedded process refuses unknown organisations', () => {
  it('answers 403 problem+json ORGANISATION_UNKNOWN on every route to a token naming an unregistered organisation', async () => {
    const routes = authenticatedRoutes(embedded.app);
    expect(routes.length).toBeGreaterThan(50);
    const answers = await Promise.all(
      routes.map(async (route) => {
        const response = await embedded.app.inject({
          method: route.method as 'GET' | 'POST',
          url: route.path,
          headers: { authorization: `Bearer ${await token(INVENTED_ORG, route.roles)}` },
        });
        const body = response.json<{ code?: string }>();
        return {
          route: `${route.method} ${route.url}`,
          status: response.statusCode,
          type: response.headers['content-type'],
          code: body.code,
        };
      }),
    );
    for (const answer of answers)
      expect(answer, answer.route).toMatchObject({
        status: 403,
        type: expect.stringMatching(/^application\/problem\+json/) as unknown,
        code: 'ORGANISATION_UNKNOWN',
      });
  });

  it("honours the DPO role only in the configured DPO organisations (the demo's outreach)", async () => {
    const dpoOnly = authenticatedRoutes(embedded.app).filter(
      (route) =>
        route.method === 'GET' &&
        route.roles.length === 1 &&
        route.roles[0] === 'data_protection_officer',
    );
    expect(dpoOnly.length).toBeGreaterThan(0);
    for (const route of dpoOnly) {
      const elsewhere = await embedded.app.inject({
        method: 'GET',
        url: route.path,
        headers: { authorization: `Bearer ${await token(CLINIC, ['data_protection_officer'])}` },
      });
      expect(elsewhere.statusCode, route.url).toBe(403);
      expect(elsewhere.json<{ code: string }>().code).toBe('FORBIDDEN');
      const configured = await embedded.app.inject({
        method: 'GET',
        url: route.path,
        headers: {
          authorization: `Bearer ${await token(DEMO_ORGANISATIONS[0].orgId, ['data_protection_officer'])}`,
        },
      });
      expect(configured.statusCode, route.url).not.toBe(403);
    }
  });
});
