import fc from 'fast-check';
import { ROLES, type Role } from '@waypoint/contracts';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { routeAccess } from '../auth/access.js';

/** A route template with every `:param` filled: `:journeyId` by the given journey, others by fresh ids. */
function concrete(
  url: string,
  params: Readonly<Record<string, string>>,
  freshId: () => string,
): string {
  return url.replace(/:([a-zA-Z]+)/g, (_match, name: string) => params[name] ?? freshId());
}

export interface RouteAccessSpecOptions {
  readonly app: FastifyInstance;
  /** A token for a user of the organisation that owns the test journeys, with exactly these roles. */
  readonly tokenFor: (roles: readonly Role[]) => Promise<string>;
  readonly freshId: () => string;
  /** How many declared routes the service must have at least (so the spec cannot pass on none). */
  readonly minRoutes: number;
}

/**
 * Generated from the route declarations: every route that is not public answers 401 without a
 * token and 403 to a token whose roles it does not declare, before looking at anything else.
 */
export async function expectDeclaredAccessEnforced(options: RouteAccessSpecOptions): Promise<void> {
  const routes = routeAccess(options.app).filter(
    (route) => !('public' in route.access) && route.method !== 'HEAD',
  );
  expect(routes.length).toBeGreaterThanOrEqual(options.minRoutes);
  for (const route of routes) {
    if ('public' in route.access) continue;
    const url = concrete(route.url, {}, options.freshId);
    const method = route.method as 'GET' | 'POST';
    const body = method === 'POST' ? { payload: {} } : {};
    const anonymous = await options.app.inject({ method, url, ...body });
    expect(anonymous.statusCode, `${route.method} ${route.url}`).toBe(401);
    const allowed = new Set<string>(route.access.roles);
    for (const role of ROLES.filter((candidate) => !allowed.has(candidate))) {
      const token = await options.tokenFor([role]);
      const refused = await options.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}` },
        ...body,
      });
      expect(refused.statusCode, `${role} on ${route.method} ${route.url}`).toBe(403);
    }
  }
}

export interface FuzzSpecOptions {
  readonly app: FastifyInstance;
  /** A token allowed on every command route of the service. */
  readonly token: string;
  /** Values for route parameters (e.g. `{ journeyId }`); other parameters get fresh ids. */
  readonly params: Readonly<Record<string, string>>;
  readonly freshId: () => string;
  /** The store's position: it must not move when a command is refused. */
  readonly logPosition: () => Promise<string>;
  /** Field names and plausible values of the service's bodies, to get past the first checks. */
  readonly bodies?: readonly fc.Arbitrary<unknown>[];
  readonly minRoutes: number;
  readonly numRuns?: number;
}

/**
 * Random and malformed bodies to every command route: the answer is always below 500, a refusal
 * is problem+json, and a refused command writes nothing.
 */
export async function expectCommandRoutesSurviveFuzzing(options: FuzzSpecOptions): Promise<void> {
  const routes = routeAccess(options.app)
    .filter((route) => route.method === 'POST' && !('public' in route.access))
    .map((route) => concrete(route.url, options.params, options.freshId));
  expect(routes.length).toBeGreaterThanOrEqual(options.minRoutes);
  const bodies = fc.oneof(
    fc.anything(),
    fc.jsonValue(),
    fc.string().map((text) => ({ raw: `{${text}` })),
    ...(options.bodies ?? []),
  );
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...routes), bodies, async (url, body) => {
      const before = await options.logPosition();
      const raw =
        typeof body === 'object' && body !== null && 'raw' in body ? String(body.raw) : undefined;
      const response = await options.app.inject({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
        payload: raw ?? JSON.stringify(body ?? null),
      });
      expect(response.statusCode, `${url}: ${response.body}`).toBeLessThan(500);
      if (response.statusCode >= 400) {
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(await options.logPosition()).toBe(before);
      }
    }),
    { numRuns: options.numRuns ?? 400 },
  );
}
