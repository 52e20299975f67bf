import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCaddyfile, routeThroughSite, siteOnPort, type Site } from './caddyfile.js';
import { composeEdge, k8sEdge } from './edge.js';
import { routeThroughIngress } from './ingress.js';
import { INFRA, readYaml, readYamlDocuments, type JsonObject } from './schemas.js';

/**
 * The models the edge-routes spec follows requests with: Caddy's routing (checked against a real
 * Caddy 2.6 on every route of the services, see infra/README.md) and ingress-nginx's.
 */
const site = (body: string): Site => {
  const found = siteOnPort(parseCaddyfile(`:8080 {\n${body}\n}\n`).sites, 8080);
  if (!found) throw new Error('no site');
  return found;
};
const get = (path: string) => ({ method: 'GET', path });

describe('the Caddyfile model', () => {
  it('runs every handle before a respond, whatever the order in the file', () => {
    const edge = site(`
      @health path /healthz
      respond @health 200
      handle {
        reverse_proxy identification:3000
      }`);
    expect(routeThroughSite(edge, get('/healthz'))).toEqual({
      kind: 'proxy',
      upstream: 'identification:3000',
    });
  });

  it('runs only the first handle that matches, the longer single path first', () => {
    const edge = site(`
      handle /journeys* {
        reverse_proxy identification:3000
      }
      handle /journeys/search* {
        reverse_proxy journey:3000
      }
      handle {
        respond 404
      }`);
    expect(routeThroughSite(edge, get('/journeys/search'))).toEqual({
      kind: 'proxy',
      upstream: 'journey:3000',
    });
    expect(routeThroughSite(edge, get('/journeys/1'))).toEqual({
      kind: 'proxy',
      upstream: 'identification:3000',
    });
    expect(routeThroughSite(edge, get('/other'))).toEqual({ kind: 'respond', status: 404 });
  });

  it('matches paths case-insensitively, methods and regexps exactly', () => {
    const edge = site(`
      @search {
        method GET
        path /journeys
      }
      handle @search {
        reverse_proxy journey:3000
      }
      @shelter path_regexp ^/journeys/[^/]+/shelter(/|$)
      handle @shelter {
        reverse_proxy shelter:3000
      }`);
    expect(routeThroughSite(edge, get('/JOURNEYS'))).toEqual({
      kind: 'proxy',
      upstream: 'journey:3000',
    });
    expect(routeThroughSite(edge, { method: 'POST', path: '/journeys' })).toEqual({
      kind: 'nothing',
    });
    expect(routeThroughSite(edge, get('/journeys/1/shelters'))).toEqual({ kind: 'nothing' });
  });

  it('refuses what it does not model rather than guess', () => {
    expect(() => routeThroughSite(site('rewrite * /x'), get('/'))).toThrow(/not modelled/);
    expect(() =>
      routeThroughSite(site('@x header X-A b\nhandle @x {\nrespond 1\n}'), get('/')),
    ).toThrow(/not modelled/);
  });
});

describe('the Ingress model (ingress-nginx)', () => {
  const ingress = (annotations: Record<string, string>, paths: [string, string, string][]) =>
    ({
      metadata: { annotations },
      spec: {
        rules: [
          {
            host: 'h',
            http: {
              paths: paths.map(([path, pathType, service]) => ({
                path,
                pathType,
                backend: { service: { name: service, port: { name: 'http' } } },
              })),
            },
          },
        ],
      },
    }) as unknown as JsonObject;

  it('with use-regex, prefixes every path: /audit(/|$) is not /auditor-mandates, /audit is', () => {
    const regex = ingress({ 'nginx.ingress.kubernetes.io/use-regex': 'true' }, [
      ['/audit', 'ImplementationSpecific', 'audit'],
      ['/', 'Prefix', 'identification'],
    ]);
    expect(routeThroughIngress(regex, 'h', '/auditor-mandates')?.service).toBe('audit');
  });

  it('without it, a Prefix matches whole path elements, the longest first', () => {
    const prefix = ingress({}, [
      ['/audit', 'Prefix', 'audit'],
      ['/', 'Prefix', 'identification'],
    ]);
    expect(routeThroughIngress(prefix, 'h', '/auditor-mandates')?.service).toBe('identification');
    expect(routeThroughIngress(prefix, 'h', '/audit/findings')?.service).toBe('audit');
  });
});

describe('following a request through the deployment files', () => {
  const k8s = (): JsonObject[] =>
    readdirSync(join(INFRA, 'k8s'))
      .filter((file) => file.endsWith('.yaml'))
      .flatMap((file) => readYamlDocuments(`k8s/${file}`));

  it('compose: an upstream that is no service, or where it does not listen, is broken', () => {
    const compose = readYaml('compose.yaml');
    const services = compose.services as Record<string, Record<string, unknown>>;
    const journey = services.journey;
    if (!journey) throw new Error('no journey');
    journey.environment = { ...(journey.environment as object), PORT: '3001' };
    expect(composeEdge(compose)(get('/journeys/1/timeline'))).toEqual({
      kind: 'broken',
      why: 'journey listens on 3001, not 3000',
    });
  });

  it('Kubernetes: an Ingress straight to identification sends the journey search there', () => {
    const documents = k8s();
    const ingress = documents.find((d) => d.kind === 'Ingress') as unknown as {
      spec: { rules: { http: { paths: { backend: { service: { name: string } } }[] } }[] };
    };
    const path = ingress.spec.rules[0]?.http.paths[0];
    if (!path) throw new Error('no path');
    path.backend.service.name = 'identification';
    expect(k8sEdge(documents)(get('/journeys'))).toEqual({
      kind: 'service',
      name: 'identification',
    });
  });

  it('Kubernetes: a Service port the gateway does not dial is broken', () => {
    const documents = k8s();
    const care = documents.find(
      (d) => d.kind === 'Service' && (d.metadata as JsonObject).name === 'care',
    ) as unknown as { spec: { ports: { port: number }[] } };
    const port = care.spec.ports[0];
    if (!port) throw new Error('no port');
    port.port = 80;
    expect(k8sEdge(documents)(get('/journeys/1/care/plans'))).toEqual({
      kind: 'broken',
      why: 'Service care has no port 3000',
    });
  });
});
