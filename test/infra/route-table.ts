import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { routeAccess } from '@waypoint/service-kit';
import { testAuth } from '@waypoint/service-kit/testing';
import { createTestDatabase } from '@waypoint/testing';
import { SERVICE_CATALOGUE, SERVICE_NAMES, type ServiceName } from './service-catalogue.js';

/** A route a service serves: its method and URL template (`/journeys/:journeyId/care/plans`). */
export interface ServedRoute {
  readonly service: ServiceName;
  readonly method: string;
  readonly url: string;
}

const quiet = new Writable({
  write(_chunk, _encoding, done) {
    done();
  },
});

/**
 * Every route of every service, read from the apps the services' own start functions build (the
 * ones `main.ts` listens with), one at a time on one fresh PostgreSQL database (store, read models
 * and keys), without Kafka. Each app is closed before the next starts: a handful of connections.
 */
export async function servedRoutes(postgresAdminUrl: string): Promise<ServedRoute[]> {
  const database = await createTestDatabase(postgresAdminUrl, 'wp_infra_routes');
  const folder = mkdtempSync(join(tmpdir(), 'waypoint-routes-'));
  try {
    const auth = await testAuth();
    const metricsCredential = join(folder, 'metrics');
    writeFileSync(metricsCredential, randomBytes(24).toString('hex'), { mode: 0o600 });
    const common = {
      HOST: '127.0.0.1',
      PORT: '0',
      AUTH_PUBLIC_JWK: JSON.stringify(auth.publicJwk),
      AUTH_ISSUER: auth.issuer,
      AUTH_AUDIENCE: auth.audience,
      EVENT_STORE_URL: database.url,
      READ_MODEL_DATABASE_URL: database.url,
      MASTER_KEY: `routes-1:${randomBytes(32).toString('base64')}`,
      // So that the kit serves /metrics too: the edge must keep it inside.
      METRICS_CREDENTIAL_FILE: metricsCredential,
      ERASURE_INTERVAL_MS: '0',
    };
    const own: Record<ServiceName, Record<string, string>> = {
      identification: { BLIND_INDEX_KEY: randomBytes(32).toString('base64') },
      shelter: {},
      care: {},
      legal: {},
      reintegration: {},
      journey: {},
      audit: {
        AUDIT_DIGEST_KEY: generateKeyPairSync('ed25519')
          .privateKey.export({ type: 'pkcs8', format: 'pem' })
          .toString(),
        AUDIT_DIGEST_PATH: join(folder, 'digests.jsonl'),
        AUDIT_DIGEST_INTERVAL_MS: '0',
        AUDIT_SWEEP_INTERVAL_MS: '0',
      },
      analytics: {},
    };
    const routes: ServedRoute[] = [];
    for (const service of SERVICE_NAMES) {
      const started = await SERVICE_CATALOGUE[service].start({ ...common, ...own[service] }, quiet);
      try {
        await started.app.ready();
        for (const route of routeAccess(started.app)) {
          routes.push({ service, method: route.method, url: route.url });
        }
      } finally {
        await started.close();
      }
    }
    return routes;
  } finally {
    rmSync(folder, { recursive: true, force: true });
    await database.drop();
  }
}

/** A path for a URL template: every `:param` an id, a trailing `*` one segment. */
export function concretePath(url: string): string {
  return url
    .replace(/:[A-Za-z]+/g, '0193b000-0000-7000-8000-0000000000aa')
    .replace(/\*$/, 'segment');
}

export interface RouteTable {
  /** Routes exactly one service serves: the edge must send them to that service. */
  readonly owned: readonly ServedRoute[];
  /** Routes every service serves alike (its API docs): any service may answer them. */
  readonly shared: readonly ServedRoute[];
}

/** Splits the routes into those one service owns and those every service serves. */
export function routeTable(
  routes: readonly ServedRoute[],
  internal: readonly string[],
): RouteTable {
  const key = (route: ServedRoute): string => `${route.method} ${route.url}`;
  const servers = new Map<string, Set<ServiceName>>();
  for (const route of routes) {
    servers.set(key(route), (servers.get(key(route)) ?? new Set()).add(route.service));
  }
  const everywhere = (route: ServedRoute): boolean =>
    servers.get(key(route))?.size === SERVICE_NAMES.length;
  const outside = routes.filter((route) => !internal.includes(route.url));
  return {
    owned: outside.filter((route) => !everywhere(route)),
    shared: outside.filter((route) => everywhere(route) && route.service === SERVICE_NAMES[0]),
  };
}
