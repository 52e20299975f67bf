import { text, type Json, type JsonObject } from './schemas.js';

/** What the Kubernetes schemas cannot say about our manifests; each rule returns its problems. */
function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
const at = (value: Json | undefined, ...path: string[]): Json | undefined =>
  path.reduce<Json | undefined>((node, key) => (isObject(node) ? node[key] : undefined), value);
const nameOf = (document: JsonObject): string => text(at(document, 'metadata', 'name'));
const ofKind = (documents: readonly JsonObject[], kind: string): JsonObject[] =>
  documents.filter((document) => document.kind === kind);
const labelsMatch = (selector: Json | undefined, labels: Json | undefined): boolean =>
  isObject(selector) &&
  isObject(labels) &&
  Object.keys(selector).length > 0 &&
  Object.entries(selector).every(([key, value]) => labels[key] === value);

function containers(deployment: JsonObject): JsonObject[] {
  const list = at(deployment, 'spec', 'template', 'spec', 'containers');
  return Array.isArray(list) ? list.filter(isObject) : [];
}

export function deploymentsHaveProbesAndResources(documents: readonly JsonObject[]): string[] {
  return ofKind(documents, 'Deployment').flatMap((deployment) =>
    containers(deployment).flatMap((container) => {
      const where = `${nameOf(deployment)}/${text(container.name)}`;
      const problems: string[] = [];
      if (at(container, 'livenessProbe', 'httpGet', 'path') !== '/health') {
        problems.push(`${where}: no liveness probe on /health`);
      }
      if (at(container, 'readinessProbe', 'httpGet', 'path') !== '/ready') {
        problems.push(`${where}: no readiness probe on /ready`);
      }
      for (const kind of ['requests', 'limits']) {
        for (const resource of ['cpu', 'memory']) {
          if (at(container, 'resources', kind, resource) === undefined) {
            problems.push(`${where}: no ${resource} ${kind}`);
          }
        }
      }
      return problems;
    }),
  );
}

export function deploymentsRunAsNonRoot(documents: readonly JsonObject[]): string[] {
  return ofKind(documents, 'Deployment').flatMap((deployment) => {
    const pod = at(deployment, 'spec', 'template', 'spec', 'securityContext');
    const problems =
      at(pod, 'runAsNonRoot') === true ? [] : [`${nameOf(deployment)}: pod may run as root`];
    for (const container of containers(deployment)) {
      const context = container.securityContext;
      if (
        at(context, 'allowPrivilegeEscalation') !== false ||
        at(context, 'readOnlyRootFilesystem') !== true
      ) {
        problems.push(`${nameOf(deployment)}/${text(container.name)}: container not locked down`);
      }
    }
    return problems;
  });
}

export function everyDeploymentHasADisruptionBudget(documents: readonly JsonObject[]): string[] {
  const budgets = ofKind(documents, 'PodDisruptionBudget');
  return ofKind(documents, 'Deployment').flatMap((deployment) => {
    const labels = at(deployment, 'spec', 'template', 'metadata', 'labels');
    return budgets.some((budget) =>
      labelsMatch(at(budget, 'spec', 'selector', 'matchLabels'), labels),
    )
      ? []
      : [`${nameOf(deployment)}: no PodDisruptionBudget selects it`];
  });
}

export function everyDeploymentHasAService(documents: readonly JsonObject[]): string[] {
  const services = ofKind(documents, 'Service');
  return ofKind(documents, 'Deployment').flatMap((deployment) => {
    const labels = at(deployment, 'spec', 'template', 'metadata', 'labels');
    return services.some((service) => labelsMatch(at(service, 'spec', 'selector'), labels))
      ? []
      : [`${nameOf(deployment)}: no Service selects it`];
  });
}

/** Secrets are referenced (mounted or by name), never written into a manifest. */
export function secretsAreReferencedNotInlined(documents: readonly JsonObject[]): string[] {
  const inlined = ofKind(documents, 'Secret').map(
    (secret) => `Secret ${nameOf(secret)}: secret values in a manifest`,
  );
  const inEnv = ofKind(documents, 'Deployment').flatMap((deployment) =>
    containers(deployment).flatMap((container) =>
      (Array.isArray(container.env) ? container.env.filter(isObject) : []).flatMap((variable) =>
        /PASSWORD|SECRET|TOKEN|(^|_)KEY$/i.test(text(variable.name)) && variable.value !== undefined
          ? [`${nameOf(deployment)}: ${text(variable.name)} given inline`]
          : [],
      ),
    ),
  );
  const inConfig = ofKind(documents, 'ConfigMap').flatMap((map) =>
    Object.entries(isObject(map.data) ? map.data : {}).flatMap(([key, value]) =>
      (/PASSWORD|SECRET|TOKEN|(^|_)KEY$/i.test(key) && !key.endsWith('_FILE')) ||
      /:\/\/[^/@\s]+:[^/@\s]+@/.test(text(value))
        ? [`ConfigMap ${nameOf(map)}: ${key} holds a secret`]
        : [],
    ),
  );
  return [...inlined, ...inEnv, ...inConfig];
}

/**
 * Ingress to the namespace is denied by default, and the services admit only the gateway (the
 * ingress controller): no policy opens them to anything else.
 */
export function onlyTheGatewayReachesServices(
  documents: readonly JsonObject[],
  gateway: { namespace: string; podLabels: Record<string, string> },
): string[] {
  const policies = ofKind(documents, 'NetworkPolicy');
  const problems: string[] = [];
  const denyAll = policies.some((policy) => {
    const selector = at(policy, 'spec', 'podSelector');
    const types = at(policy, 'spec', 'policyTypes');
    return (
      isObject(selector) &&
      Object.keys(selector).length === 0 &&
      Array.isArray(types) &&
      types.includes('Ingress') &&
      at(policy, 'spec', 'ingress') === undefined
    );
  });
  if (!denyAll) problems.push('no default-deny ingress policy');
  for (const policy of policies) {
    const rules = at(policy, 'spec', 'ingress');
    for (const rule of Array.isArray(rules) ? rules.filter(isObject) : []) {
      const peers = Array.isArray(rule.from) ? rule.from.filter(isObject) : [];
      if (peers.length === 0) problems.push(`${nameOf(policy)}: admits traffic from anywhere`);
      for (const peer of peers) {
        const fromGateway =
          at(peer, 'namespaceSelector', 'matchLabels', 'kubernetes.io/metadata.name') ===
            gateway.namespace &&
          labelsMatch(gateway.podLabels, at(peer, 'podSelector', 'matchLabels')) &&
          at(peer, 'ipBlock') === undefined;
        if (!fromGateway) problems.push(`${nameOf(policy)}: admits a peer that is not the gateway`);
      }
    }
  }
  const guarded = ofKind(documents, 'Deployment').filter(
    (deployment) =>
      !policies.some(
        (policy) =>
          at(policy, 'spec', 'ingress') !== undefined &&
          labelsMatch(
            at(policy, 'spec', 'podSelector', 'matchLabels'),
            at(deployment, 'spec', 'template', 'metadata', 'labels'),
          ),
      ),
  );
  for (const deployment of guarded) {
    problems.push(`${nameOf(deployment)}: no policy lets the gateway reach it`);
  }
  return problems;
}
