import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import { REQUIRE_SERVICES } from '@waypoint/testing';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { composeEdge, k8sEdge, type Edge, type Reached } from './edge.js';
import { concretePath, routeTable, servedRoutes, type RouteTable } from './route-table.js';
import { INFRA, readYaml, readYamlDocuments } from './schemas.js';

/**
 * Every route reaches the service that serves it, through the edge of each deployment: the route
 * table comes from the apps the services' own start functions build, and the path through Caddy
 * (compose) and through the Ingress and the gateway (Kubernetes) is followed in their files. The
 * service kit's operational routes stay inside: the edge answers them itself, with a 404.
 */
const INTERNAL = ['/health', '/ready', '/metrics', '/healthz'];
const { postgresAdminUrl } = inject('services');
if (REQUIRE_SERVICES && !postgresAdminUrl) throw new Error('PostgreSQL is required');

const EDGES: [string, () => Edge][] = [
  ['compose (Caddy)', () => composeEdge(readYaml('compose.yaml'))],
  [
    'Kubernetes (Ingress, gateway)',
    () =>
      k8sEdge(
        readdirSync(join(INFRA, 'k8s'))
          .filter((file) => file.endsWith('.yaml'))
          .flatMap((file) => readYamlDocuments(`k8s/${file}`)),
      ),
  ],
];

describe.skipIf(!postgresAdminUrl)(
  'the edge sends every route to the service that serves it',
  () => {
    let table: RouteTable;
    beforeAll(async () => {
      if (!postgresAdminUrl) return;
      table = routeTable(await servedRoutes(postgresAdminUrl), INTERNAL);
    }, 120_000);

    it('reads a route table worth checking from the services', () => {
      const owners = new Set(table.owned.map((route) => route.service));
      expect(owners.size).toBe(8);
      expect(table.owned.length).toBeGreaterThan(100);
      expect(table.shared.length).toBeGreaterThan(0);
    });

    describe.each(EDGES)('%s', (_name, edgeOf) => {
      it('sends each route, by method and path, to its service', () => {
        const edge = edgeOf();
        const wrong = table.owned.flatMap((route) => {
          const reached = edge({ method: route.method, path: concretePath(route.url) });
          const expected: Reached = { kind: 'service', name: route.service };
          return JSON.stringify(reached) === JSON.stringify(expected)
            ? []
            : [`${route.method} ${route.url} (${route.service}) → ${JSON.stringify(reached)}`];
        });
        expect(wrong).toEqual([]);
      });

      it('sends the routes every service serves (API docs) to a service', () => {
        const edge = edgeOf();
        for (const route of table.shared) {
          expect(edge({ method: route.method, path: concretePath(route.url) }).kind).toBe(
            'service',
          );
        }
      });

      it.each(INTERNAL)('answers %s itself with a 404, never from a service', (path) => {
        expect(edgeOf()({ method: 'GET', path })).toEqual({
          kind: 'edge',
          outcome: { kind: 'respond', status: 404 },
        });
      });
    });
  },
);
