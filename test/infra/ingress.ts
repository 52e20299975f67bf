import { text, type Json, type JsonObject } from './schemas.js';

/**
 * Which backend an Ingress sends a path to, as ingress-nginx does. Without `use-regex`: an `Exact`
 * path first, then the longest matching `Prefix` (by whole path elements, as the Ingress API
 * defines it); `ImplementationSpecific` is nginx's plain prefix location. With
 * `nginx.ingress.kubernetes.io/use-regex: "true"` every path of the host becomes a
 * case-insensitive regex location anchored at the start (`~* ^path`), tried longest first.
 * An Ingress cannot match on the method: every method of a path goes to the same backend.
 */
export interface Backend {
  readonly service: string;
  readonly port: string | number;
}

interface IngressPath {
  readonly path: string;
  readonly pathType: string;
  readonly backend: Backend;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
const list = (value: Json | undefined): JsonObject[] =>
  Array.isArray(value) ? value.filter(isObject) : [];

function backendOf(value: Json | undefined): Backend {
  const service = isObject(value) && isObject(value.service) ? value.service : {};
  const port = isObject(service.port) ? service.port : {};
  const named = port.name ?? port.number;
  return {
    service: text(service.name),
    port: typeof named === 'number' ? named : text(named),
  };
}

function pathsOf(ingress: JsonObject, host: string): IngressPath[] {
  const spec = isObject(ingress.spec) ? ingress.spec : {};
  return list(spec.rules)
    .filter((rule) => rule.host === undefined || rule.host === host)
    .flatMap((rule) => list(isObject(rule.http) ? rule.http.paths : undefined))
    .map((entry) => ({
      path: text(entry.path),
      pathType: text(entry.pathType),
      backend: backendOf(entry.backend),
    }));
}

const elements = (path: string): string[] => path.split('/').filter((part) => part !== '');

function prefixMatches(prefix: string, path: string): boolean {
  const want = elements(prefix);
  const have = elements(path);
  return want.length <= have.length && want.every((part, index) => have[index] === part);
}

/** The backend the Ingress picks for a path, or undefined (the controller's default backend: 404). */
export function routeThroughIngress(
  ingress: JsonObject,
  host: string,
  path: string,
): Backend | undefined {
  const paths = pathsOf(ingress, host);
  const annotations = isObject(ingress.metadata) ? ingress.metadata.annotations : undefined;
  const regex = isObject(annotations) && annotations['nginx.ingress.kubernetes.io/use-regex'];
  const exact = paths.find((entry) => entry.pathType === 'Exact' && entry.path === path);
  if (exact) return exact.backend;
  const byLength = [...paths]
    .filter((entry) => entry.pathType !== 'Exact')
    .sort((a, b) => b.path.length - a.path.length);
  if (regex === 'true') {
    return byLength.find((entry) => new RegExp(`^${entry.path}`, 'i').test(path))?.backend;
  }
  return byLength.find((entry) =>
    entry.pathType === 'Prefix' ? prefixMatches(entry.path, path) : path.startsWith(entry.path),
  )?.backend;
}

/** The hosts the Ingress serves (its rules'). */
export function ingressHosts(ingress: JsonObject): string[] {
  const spec = isObject(ingress.spec) ? ingress.spec : {};
  return list(spec.rules).map((rule) => text(rule.host));
}
