import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  parseCaddyfile,
  routeThroughSite,
  siteOnPort,
  type Outcome,
  type Request,
} from './caddyfile.js';
import { ingressHosts, routeThroughIngress } from './ingress.js';
import { INFRA, text, type Json, type JsonObject } from './schemas.js';

/**
 * Where a request from the internet ends, following the deployment's own files hop by hop: in a
 * service (named by the SERVICE its container runs), answered by the edge itself, or nowhere.
 */
export type Reached =
  | { readonly kind: 'service'; readonly name: string }
  | { readonly kind: 'edge'; readonly outcome: Outcome }
  | { readonly kind: 'broken'; readonly why: string };

export type Edge = (request: Request) => Reached;

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
const list = (value: Json | undefined): JsonObject[] =>
  Array.isArray(value) ? value.filter(isObject) : [];
const at = (value: Json | undefined, ...path: (string | number)[]): Json | undefined =>
  path.reduce<Json | undefined>((node, key) => {
    if (Array.isArray(node) && typeof key === 'number') return node[key];
    return isObject(node) ? node[String(key)] : undefined;
  }, value);

function envOfCompose(service: JsonObject): Record<string, string> {
  const env = service.environment;
  if (!isObject(env)) return {};
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, text(value)]));
}

/** The container side of a compose port mapping: `${X:-8080}:8080` → 8080. */
function containerPort(mapping: Json): number {
  if (isObject(mapping)) return Number(mapping.target);
  const withoutProtocol = text(mapping).replace(/\/(tcp|udp)$/, '');
  return Number(withoutProtocol.slice(withoutProtocol.lastIndexOf(':') + 1));
}

function upstreamParts(upstream: string): { host: string; port: number } {
  const bare = upstream.replace(/^https?:\/\//, '');
  const at = bare.lastIndexOf(':');
  return at < 0
    ? { host: bare, port: upstream.startsWith('https') ? 443 : 80 }
    : { host: bare.slice(0, at), port: Number(bare.slice(at + 1)) };
}

/**
 * The compose edge: the one service that publishes a port, the Caddyfile it is given as a config
 * (for the port the mapping publishes), and the compose service each upstream names, which must
 * listen (PORT) where the upstream points.
 */
export function composeEdge(compose: JsonObject): Edge {
  const services = isObject(compose.services) ? compose.services : {};
  const entries = Object.entries(services).filter((entry): entry is [string, JsonObject] =>
    isObject(entry[1]),
  );
  const published = entries.filter(
    ([, service]) => Array.isArray(service.ports) && service.ports.length > 0,
  );
  if (published.length !== 1 || published[0] === undefined) {
    throw new Error(`compose: ${String(published.length)} services publish ports, not 1`);
  }
  const [, proxy] = published[0];
  const ports = (Array.isArray(proxy.ports) ? proxy.ports : []).map(containerPort);
  const config = list(proxy.configs).find((entry) => entry.target === '/etc/caddy/Caddyfile');
  const file = at(compose, 'configs', text(config?.source), 'file');
  if (typeof file !== 'string') throw new Error('compose: the proxy is given no Caddyfile');
  const { sites } = parseCaddyfile(readFileSync(join(INFRA, file), 'utf8'));
  const port = ports[0];
  const site = port === undefined ? undefined : siteOnPort(sites, port);
  if (!site) throw new Error(`compose: the Caddyfile has no site on the published port`);
  const byHost = new Map<string, JsonObject>();
  for (const [name, service] of entries) {
    byHost.set(name, service);
    if (typeof service.hostname === 'string') byHost.set(service.hostname, service);
  }
  return (request) => {
    const outcome = routeThroughSite(site, request);
    if (outcome.kind !== 'proxy') return { kind: 'edge', outcome };
    const { host, port: upstreamPort } = upstreamParts(outcome.upstream);
    const target = byHost.get(host);
    if (!target) return { kind: 'broken', why: `no compose service ${host}` };
    const env = envOfCompose(target);
    if (Number(env.PORT) !== upstreamPort) {
      return {
        kind: 'broken',
        why: `${host} listens on ${env.PORT ?? '?'}, not ${String(upstreamPort)}`,
      };
    }
    return env.SERVICE
      ? { kind: 'service', name: env.SERVICE }
      : { kind: 'broken', why: `${host} runs no SERVICE` };
  };
}

const ofKind = (documents: readonly JsonObject[], kind: string): JsonObject[] =>
  documents.filter((document) => document.kind === kind);
const nameOf = (document: JsonObject): string => text(at(document, 'metadata', 'name'));

function selects(selector: Json | undefined, labels: Json | undefined): boolean {
  return (
    isObject(selector) &&
    isObject(labels) &&
    Object.keys(selector).length > 0 &&
    Object.entries(selector).every(([key, value]) => labels[key] === value)
  );
}

interface Pod {
  readonly deployment: JsonObject;
  readonly container: JsonObject;
  readonly port: number;
}

/** The Deployment, container and container port a Service's port leads to. */
function throughService(
  documents: readonly JsonObject[],
  serviceName: string,
  port: string | number,
): Pod | string {
  const service = ofKind(documents, 'Service').find(
    (candidate) => nameOf(candidate) === serviceName,
  );
  if (!service) return `no Service ${serviceName}`;
  const servicePort = list(at(service, 'spec', 'ports')).find((entry) =>
    typeof port === 'number' ? entry.port === port : entry.name === port,
  );
  if (!servicePort) return `Service ${serviceName} has no port ${String(port)}`;
  const targetPort = servicePort.targetPort ?? servicePort.port;
  const deployments = ofKind(documents, 'Deployment').filter((deployment) =>
    selects(
      at(service, 'spec', 'selector'),
      at(deployment, 'spec', 'template', 'metadata', 'labels'),
    ),
  );
  if (deployments.length !== 1 || deployments[0] === undefined) {
    return `Service ${serviceName} selects ${String(deployments.length)} Deployments`;
  }
  const deployment = deployments[0];
  for (const container of list(at(deployment, 'spec', 'template', 'spec', 'containers'))) {
    const found = list(container.ports).find((entry) =>
      typeof targetPort === 'number'
        ? entry.containerPort === targetPort
        : entry.name === targetPort,
    );
    if (found) return { deployment, container, port: Number(found.containerPort) };
  }
  return `Service ${serviceName}: no container port ${text(targetPort)}`;
}

function containerEnv(
  documents: readonly JsonObject[],
  container: JsonObject,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of list(container.envFrom)) {
    const name = at(source, 'configMapRef', 'name');
    const map = ofKind(documents, 'ConfigMap').find((candidate) => nameOf(candidate) === name);
    const data = map && isObject(map.data) ? map.data : {};
    for (const [key, value] of Object.entries(data)) env[key] = text(value);
  }
  for (const variable of list(container.env)) {
    if (variable.value !== undefined) env[text(variable.name)] = text(variable.value);
  }
  return env;
}

/** The Caddyfile a gateway container reads, from the ConfigMap mounted at /etc/caddy. */
function caddyfileOf(documents: readonly JsonObject[], pod: Pod): string | undefined {
  const mount = list(pod.container.volumeMounts).find(
    (entry) => entry.mountPath === '/etc/caddy/Caddyfile' || entry.mountPath === '/etc/caddy',
  );
  if (!mount) return undefined;
  const key = mount.mountPath === '/etc/caddy' ? 'Caddyfile' : text(mount.subPath);
  const volume = list(at(pod.deployment, 'spec', 'template', 'spec', 'volumes')).find(
    (entry) => entry.name === mount.name,
  );
  const mapName = at(volume, 'configMap', 'name');
  const map = ofKind(documents, 'ConfigMap').find((candidate) => nameOf(candidate) === mapName);
  const value = map ? at(map, 'data', key) : undefined;
  return typeof value === 'string' ? value : undefined;
}

const isGateway = (pod: Pod): boolean => text(pod.container.image).startsWith('caddy:');

/**
 * The Kubernetes edge: the Ingress (for its host), the Service it names, the Deployment behind it;
 * when that is the gateway (Caddy), its Caddyfile from its ConfigMap for the container's port,
 * then the Service and Deployment each upstream names. A service is named by its SERVICE.
 */
export function k8sEdge(documents: readonly JsonObject[]): Edge {
  const ingresses = ofKind(documents, 'Ingress');
  if (ingresses.length !== 1 || ingresses[0] === undefined) {
    throw new Error(`k8s: ${String(ingresses.length)} Ingresses, not 1`);
  }
  const ingress = ingresses[0];
  const host = ingressHosts(ingress)[0] ?? '';
  const landOn = (pod: Pod, request: Request, hops: number): Reached => {
    if (!isGateway(pod)) {
      const env = containerEnv(documents, pod.container);
      if (Number(env.PORT) !== pod.port) {
        return { kind: 'broken', why: `${nameOf(pod.deployment)} listens on ${env.PORT ?? '?'}` };
      }
      return env.SERVICE
        ? { kind: 'service', name: env.SERVICE }
        : { kind: 'broken', why: `${nameOf(pod.deployment)} runs no SERVICE` };
    }
    if (hops > 2) return { kind: 'broken', why: 'gateway loop' };
    const caddyfile = caddyfileOf(documents, pod);
    if (caddyfile === undefined) return { kind: 'broken', why: 'the gateway has no Caddyfile' };
    const site = siteOnPort(parseCaddyfile(caddyfile).sites, pod.port);
    if (!site)
      return { kind: 'broken', why: `the gateway's Caddyfile has no site on ${String(pod.port)}` };
    const outcome = routeThroughSite(site, request);
    if (outcome.kind !== 'proxy') return { kind: 'edge', outcome };
    const { host: upstreamHost, port } = upstreamParts(outcome.upstream);
    const next = throughService(documents, upstreamHost.split('.')[0] ?? '', port);
    return typeof next === 'string'
      ? { kind: 'broken', why: next }
      : landOn(next, request, hops + 1);
  };
  return (request) => {
    const backend = routeThroughIngress(ingress, host, request.path);
    if (!backend) return { kind: 'edge', outcome: { kind: 'respond', status: 404 } };
    const pod = throughService(documents, backend.service, backend.port);
    return typeof pod === 'string' ? { kind: 'broken', why: pod } : landOn(pod, request, 0);
  };
}
