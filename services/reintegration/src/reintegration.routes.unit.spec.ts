import { ROLES } from '@waypoint/contracts';
import { routeAccess } from '@waypoint/service-kit';
import { v7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORGS, testWorld, type TestWorld } from './testing/test-app.js';

/**
 * Generated from the route declarations: every route that is not public answers 401 without a
 * token and 403 to a token whose roles it does not declare, before looking at anything else.
 */
describe('every route declares who may call it, and means it', () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await testWorld();
  });
  afterAll(async () => {
    await world.close();
  });

  const concrete = (url: string): string => url.replace(/:[a-zA-Z]+/g, () => v7());

  it('covers every route of the service', () => {
    const routes = routeAccess(world.app).filter(
      (route) => !('public' in route.access) && route.url.includes('/reintegration'),
    );
    expect(routes.filter((route) => route.method === 'POST')).toHaveLength(14);
    expect(routes.filter((route) => route.method === 'GET')).toHaveLength(3);
  });

  it('401 without a token, 403 for each role not declared', async () => {
    for (const route of routeAccess(world.app)) {
      if ('public' in route.access || route.method === 'HEAD') continue;
      const url = concrete(route.url);
      const method = route.method as 'GET' | 'POST';
      const body = method === 'POST' ? { payload: {} } : {};
      const anonymous = await world.app.inject({ method, url, ...body });
      expect(anonymous.statusCode, `${route.method} ${route.url}`).toBe(401);
      const allowed = new Set<string>(route.access.roles);
      for (const role of ROLES.filter((candidate) => !allowed.has(candidate))) {
        const token = await world.token([role], ORGS.outreach);
        const refused = await world.app.inject({
          method,
          url,
          headers: { authorization: `Bearer ${token}` },
          ...body,
        });
        expect(refused.statusCode, `${role} on ${route.method} ${route.url}`).toBe(403);
      }
    }
  });
});
