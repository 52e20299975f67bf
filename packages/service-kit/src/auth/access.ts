import { isRole, type Role } from '@waypoint/contracts';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { HttpProblem } from '../errors.js';
import type { Authenticator, Principal } from './authenticator.js';

/**
 * Who may call a route. Every route declares it in `config.access`; there is no default, so a
 * forgotten declaration stops the service at start rather than opening a route.
 */
export type RouteAccess = { readonly public: true } | { readonly roles: readonly Role[] };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /**
     * The verified caller. Only routes with `roles` have one; reading it on a public route
     * throws (use `principalOf(request)` where a principal is optional).
     */
    readonly principal: Principal;
  }
}

export interface RouteAccessEntry {
  readonly method: string;
  readonly url: string;
  readonly access: RouteAccess;
}

export const PUBLIC_ACCESS: RouteAccess = { public: true };

// Keyed by request and by app: nothing is shared between apps or outlives what it describes.
const principals = new WeakMap<FastifyRequest, Principal>();
const refusals = new WeakMap<FastifyRequest, unknown>();
const tables = new WeakMap<FastifyInstance, RouteAccessEntry[]>();

/** The caller when the route authenticated one, else undefined. */
export function principalOf(request: FastifyRequest): Principal | undefined {
  return principals.get(request);
}

/** Every route of the app with its declared access, for the access-matrix test. */
export function routeAccess(app: FastifyInstance): readonly RouteAccessEntry[] {
  return [...(tables.get(app) ?? [])];
}

function checkDeclaration(access: RouteAccess, where: string): void {
  if ('public' in access) return;
  if (!Array.isArray(access.roles) || access.roles.length === 0) {
    throw new Error(`${where}: config.access.roles must name at least one role`);
  }
  const unknown = access.roles.filter((role) => !isRole(role));
  if (unknown.length > 0) throw new Error(`${where}: unknown roles ${unknown.join(', ')}`);
}

function methodsOf(route: RouteOptions): string[] {
  return Array.isArray(route.method) ? [...route.method] : [route.method];
}

/** Why the request may not go on, or undefined when it may. */
function refusalOf(request: FastifyRequest): Error | undefined {
  const failure = refusals.get(request);
  if (failure !== undefined) {
    return failure instanceof Error ? failure : new Error('authentication failed');
  }
  const access = request.routeOptions.config.access;
  if (access === undefined) {
    // Only the not-found handler has no declaration; anything else fails closed.
    return request.is404
      ? undefined
      : new HttpProblem('FORBIDDEN', 'This route declares no access');
  }
  if ('public' in access) return undefined;
  const principal = principals.get(request);
  if (principal?.roles.some((role) => access.roles.includes(role)) === true) return undefined;
  return new HttpProblem('FORBIDDEN', `This route is for the roles: ${access.roles.join(', ')}`);
}

export interface AccessControl {
  /** From now on a route without `config.access` is refused; the kit's own routes came before. */
  seal(): void;
}

/**
 * Authenticates on request, and refuses in preParsing: in between, the rate limiter (a route-level
 * onRequest hook) counts the attempt under the user or the client address, and a refused
 * request's body is never read.
 */
export function installAccessControl(
  app: FastifyInstance,
  authenticator: Authenticator,
): AccessControl {
  const table: RouteAccessEntry[] = [];
  tables.set(app, table);
  let sealed = false;

  app.addHook('onRoute', (route) => {
    const where = `${methodsOf(route).join(',')} ${route.url}`;
    let access = route.config?.access;
    if (access === undefined) {
      if (sealed) {
        throw new Error(
          `${where} declares no config.access: add { public: true } or { roles: [...] } to its config`,
        );
      }
      access = PUBLIC_ACCESS;
      route.config = { ...route.config, access };
    }
    checkDeclaration(access, where);
    for (const method of methodsOf(route)) table.push({ method, url: route.url, access });
  });

  app.decorateRequest('principal', {
    getter(this: FastifyRequest): Principal {
      const principal = principals.get(this);
      if (principal === undefined) {
        throw new Error('request.principal is only set on routes that declare roles');
      }
      return principal;
    },
  });

  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (access === undefined || 'public' in access) return;
    try {
      principals.set(request, await authenticator.authenticate(request.headers.authorization));
    } catch (error) {
      refusals.set(request, error);
    }
  });

  app.addHook('preParsing', (request, _reply, _payload, done) => {
    done(refusalOf(request));
  });

  return {
    seal() {
      sealed = true;
    },
  };
}
