import { hostsIn, MINIMUM_GRACE_SECONDS } from './compose-rules.js';
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

const isService = (deployment: JsonObject): boolean =>
  at(deployment, 'spec', 'template', 'metadata', 'labels', 'waypoint.io/tier') === 'service';

/**
 * Startup, liveness and readiness probes and resource requests and limits on every container. A
 * service is probed on its kit's routes: started and alive on /health, ready on /ready; the
 * startup probe holds the liveness probe off while migrations and catching up run.
 */
export function deploymentsHaveProbesAndResources(documents: readonly JsonObject[]): string[] {
  return ofKind(documents, 'Deployment').flatMap((deployment) =>
    containers(deployment).flatMap((container) => {
      const where = `${nameOf(deployment)}/${text(container.name)}`;
      const problems: string[] = [];
      const probes = [
        ['startupProbe', 'startup', '/health'],
        ['livenessProbe', 'liveness', '/health'],
        ['readinessProbe', 'readiness', '/ready'],
      ] as const;
      for (const [key, label, path] of probes) {
        const probed = at(container, key, 'httpGet', 'path');
        if (isService(deployment) ? probed !== path : probed === undefined) {
          problems.push(`${where}: no ${label} probe${isService(deployment) ? ` on ${path}` : ''}`);
        }
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

/** /ready bounds each of its checks by 2 s: its probe waits longer than that. */
const READY_CHECK_BOUND_SECONDS = 2;

/**
 * Probes and stopping as the services behave: the readiness probe outwaits /ready's bounded
 * checks (the default timeout, 1 s, would fail a pod whose checks are merely slow), nothing
 * restarts a pod on /ready (a broker down would restart every pod at once), and a pod is given
 * the time its SIGTERM drain takes (in-flight requests up to 10 s, then consumers, relay, pools).
 */
export function podsProbeAndStopAsServicesNeed(documents: readonly JsonObject[]): string[] {
  return ofKind(documents, 'Deployment').flatMap((deployment) => {
    const name = nameOf(deployment);
    const problems: string[] = [];
    for (const container of containers(deployment)) {
      const where = `${name}/${text(container.name)}`;
      for (const key of ['livenessProbe', 'startupProbe']) {
        if (at(container, key, 'httpGet', 'path') === '/ready') {
          problems.push(`${where}: ${key} on /ready (a dependency down would restart the pod)`);
        }
      }
      if (isService(deployment)) {
        const timeout = at(container, 'readinessProbe', 'timeoutSeconds');
        const seconds = typeof timeout === 'number' ? timeout : 1;
        if (seconds <= READY_CHECK_BOUND_SECONDS) {
          problems.push(
            `${where}: readinessProbe timeoutSeconds ${String(seconds)} does not outwait /ready's ${String(READY_CHECK_BOUND_SECONDS)} s checks`,
          );
        }
      }
    }
    if (isService(deployment)) {
      const grace = at(deployment, 'spec', 'template', 'spec', 'terminationGracePeriodSeconds');
      if (typeof grace !== 'number' || grace < MINIMUM_GRACE_SECONDS) {
        problems.push(
          `${name}: terminationGracePeriodSeconds ${grace === undefined ? 'unset' : text(grace)}, not ${String(MINIMUM_GRACE_SECONDS)} or more`,
        );
      }
    }
    return problems;
  });
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

/** A peer of a NetworkPolicy: pods with these labels, in this namespace (or the policy's own). */
export interface Peer {
  readonly namespace?: string;
  readonly podLabels: Record<string, string>;
}

function isPeer(peer: JsonObject, allowed: Peer): boolean {
  const namespace = at(peer, 'namespaceSelector', 'matchLabels', 'kubernetes.io/metadata.name');
  const sameNamespace =
    allowed.namespace === undefined && at(peer, 'namespaceSelector') === undefined;
  return (
    (sameNamespace || (allowed.namespace !== undefined && namespace === allowed.namespace)) &&
    labelsMatch(allowed.podLabels, at(peer, 'podSelector', 'matchLabels')) &&
    at(peer, 'ipBlock') === undefined
  );
}

/**
 * Ingress to the namespace is denied by default, and each tier admits only the tier in front of
 * it: the gateway only the ingress controller, the services only the gateway. Every Deployment is
 * covered by a policy that admits something (else nothing reaches it at all).
 */
export function ingressOnlyThroughTheEdge(
  documents: readonly JsonObject[],
  inFront: Readonly<Record<string, Peer>>,
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
    if (!Array.isArray(rules)) continue;
    const tier = text(at(policy, 'spec', 'podSelector', 'matchLabels', 'waypoint.io/tier'));
    const allowed = inFront[tier];
    if (!allowed) {
      problems.push(`${nameOf(policy)}: admits traffic to a tier with nothing in front of it`);
      continue;
    }
    for (const rule of rules.filter(isObject)) {
      const peers = Array.isArray(rule.from) ? rule.from.filter(isObject) : [];
      if (peers.length === 0) problems.push(`${nameOf(policy)}: admits traffic from anywhere`);
      for (const peer of peers) {
        if (!isPeer(peer, allowed)) {
          problems.push(`${nameOf(policy)}: admits a peer that is not the ${tier}'s front`);
        }
      }
    }
  }
  for (const deployment of ofKind(documents, 'Deployment')) {
    const covered = policies.some(
      (policy) =>
        at(policy, 'spec', 'ingress') !== undefined &&
        labelsMatch(
          at(policy, 'spec', 'podSelector', 'matchLabels'),
          at(deployment, 'spec', 'template', 'metadata', 'labels'),
        ),
    );
    if (!covered) problems.push(`${nameOf(deployment)}: no policy lets its front reach it`);
  }
  return problems;
}

/**
 * A container's environment as it gets it: the ConfigMaps it takes (`envFrom`), then its own
 * variables (a field reference stands as `<fieldPath>`), with `$(VAR)` expanded as the kubelet does.
 */
export function containerEnvironment(
  documents: readonly JsonObject[],
  container: JsonObject,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of Array.isArray(container.envFrom) ? container.envFrom.filter(isObject) : []) {
    const name = at(source, 'configMapRef', 'name');
    const map = ofKind(documents, 'ConfigMap').find((candidate) => nameOf(candidate) === name);
    for (const [key, value] of Object.entries(isObject(map?.data) ? map.data : {})) {
      env[key] = text(value);
    }
  }
  for (const variable of Array.isArray(container.env) ? container.env.filter(isObject) : []) {
    const field = at(variable, 'valueFrom', 'fieldRef', 'fieldPath');
    const value =
      variable.value !== undefined
        ? text(variable.value).replace(
            /\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g,
            (whole, name: string) => env[name] ?? whole,
          )
        : field !== undefined
          ? `<${text(field)}>`
          : undefined;
    if (value !== undefined) env[text(variable.name)] = value;
  }
  return env;
}

interface MountedFile {
  readonly path: string;
  /** The file's mode, when it comes from a Secret or ConfigMap. */
  readonly mode: number | undefined;
}

const DEFAULT_MODE = 0o644;

/** The files a container's volume mounts provide, and the folders under which it may write. */
function mountsOf(deployment: JsonObject, container: JsonObject) {
  const volumes = at(deployment, 'spec', 'template', 'spec', 'volumes');
  const byName = new Map(
    (Array.isArray(volumes) ? volumes.filter(isObject) : []).map((volume) => [
      text(volume.name),
      volume,
    ]),
  );
  const files: MountedFile[] = [];
  const folders: { path: string; persistent: boolean; writable: boolean }[] = [];
  for (const mount of Array.isArray(container.volumeMounts)
    ? container.volumeMounts.filter(isObject)
    : []) {
    const volume = byName.get(text(mount.name));
    const path = text(mount.mountPath);
    if (!volume) continue;
    const projected = at(volume, 'projected', 'sources');
    const sources: { items: Json | undefined; defaultMode: Json | undefined }[] = [
      ...(isObject(volume.secret)
        ? [{ items: volume.secret.items, defaultMode: volume.secret.defaultMode }]
        : []),
      ...(Array.isArray(projected) ? projected.filter(isObject) : []).flatMap((source) => {
        const inner = source.secret ?? source.configMap;
        return isObject(inner)
          ? [{ items: inner.items, defaultMode: at(volume, 'projected', 'defaultMode') }]
          : [];
      }),
    ];
    for (const source of sources) {
      for (const item of Array.isArray(source.items) ? source.items.filter(isObject) : []) {
        const mode = item.mode ?? source.defaultMode;
        files.push({
          path: `${path}/${text(item.path)}`,
          mode: typeof mode === 'number' ? mode : DEFAULT_MODE,
        });
      }
    }
    if (sources.length === 0) {
      folders.push({
        path,
        persistent: volume.persistentVolumeClaim !== undefined,
        writable: mount.readOnly !== true && volume.configMap === undefined,
      });
    }
  }
  return { files, folders };
}

const under = (path: string, folder: string): boolean =>
  path === folder || path.startsWith(`${folder}/`);

/** The files a container's settings name: every `*_FILE`, and the CA file of its event store URL. */
function namedFiles(env: Record<string, string>): [string, string][] {
  const named: [string, string][] = Object.entries(env).filter(([key]) => key.endsWith('_FILE'));
  const ca = /[?&]tlsCAFile=([^&]+)/.exec(env.EVENT_STORE_URL ?? '');
  if (ca?.[1] !== undefined) named.push(['EVENT_STORE_URL tlsCAFile', ca[1]]);
  return named;
}

/**
 * Every file a setting names is mounted, and readable by the container's user: a Secret's file is
 * owned by root and, with an fsGroup, by that group; so its mode must let the group (with an
 * fsGroup) or everyone read it.
 */
export function fileSettingsAreMountedAndReadable(documents: readonly JsonObject[]): string[] {
  return ofKind(documents, 'Deployment').flatMap((deployment) => {
    const fsGroup = at(deployment, 'spec', 'template', 'spec', 'securityContext', 'fsGroup');
    return containers(deployment).flatMap((container) => {
      const { files, folders } = mountsOf(deployment, container);
      return namedFiles(containerEnvironment(documents, container)).flatMap(([key, path]) => {
        const file = files.find((candidate) => candidate.path === path);
        if (!file) {
          return folders.some((folder) => under(path, folder.path))
            ? []
            : [`${nameOf(deployment)}: ${key} names ${path}, which nothing mounts`];
        }
        const mode = file.mode ?? DEFAULT_MODE;
        const readable = (mode & 0o004) !== 0 || ((mode & 0o040) !== 0 && fsGroup !== undefined);
        return readable
          ? []
          : [
              `${nameOf(deployment)}: ${path} (mode ${mode.toString(8)}) is unreadable by the container's user`,
            ];
      });
    });
  });
}

/** Files a service appends to and must keep: on a writable persistent volume. */
export function writtenFilesArePersistent(documents: readonly JsonObject[]): string[] {
  return ofKind(documents, 'Deployment').flatMap((deployment) =>
    containers(deployment).flatMap((container) => {
      const path = containerEnvironment(documents, container).AUDIT_DIGEST_PATH;
      if (path === undefined) {
        return text(container.name) === 'audit'
          ? [`${nameOf(deployment)}: no AUDIT_DIGEST_PATH`]
          : [];
      }
      const { folders } = mountsOf(deployment, container);
      return folders.some(
        (folder) => folder.persistent && folder.writable && under(path, folder.path),
      )
        ? []
        : [
            `${nameOf(deployment)}: AUDIT_DIGEST_PATH (${path}) is not on a writable persistent volume`,
          ];
    }),
  );
}

/** Settings every service's container must agree on, read from its environment. */
export function serviceSettingsAreSound(documents: readonly JsonObject[]): string[] {
  return ofKind(documents, 'Deployment')
    .filter(isService)
    .flatMap((deployment) =>
      containers(deployment).flatMap((container) => {
        const env = containerEnvironment(documents, container);
        const name = nameOf(deployment);
        const problems: string[] = [];
        const keys = hostsIn(env.KEY_STORE_DATABASE_URL ?? '')[0];
        if (keys === undefined) problems.push(`${name}: no KEY_STORE_DATABASE_URL`);
        else if (
          hostsIn(env.READ_MODEL_DATABASE_URL ?? '').includes(keys) ||
          hostsIn(env.EVENT_STORE_URL ?? '').includes(keys)
        ) {
          problems.push(`${name}: the key store shares a database server with the data`);
        }
        if (env.KEY_STORE_DATABASE_PASSWORD_FILE === env.READ_MODEL_DATABASE_PASSWORD_FILE) {
          problems.push(`${name}: the key store shares the data's password`);
        }
        if (env.KAFKA_BROKERS !== undefined && env.KAFKA_IDEMPOTENT_PRODUCER !== 'true') {
          problems.push(`${name}: KAFKA_IDEMPOTENT_PRODUCER is not true`);
        }
        if (!env.DPO_ORG_IDS?.trim()) {
          problems.push(`${name}: no DPO_ORG_IDS (no data-protection officer is recognised)`);
        }
        if (!env.METRICS_CREDENTIAL_FILE) {
          problems.push(`${name}: no METRICS_CREDENTIAL_FILE (/metrics is not served)`);
        }
        if (!env.DATABASE_POOL_SIZE) {
          problems.push(`${name}: DATABASE_POOL_SIZE is not set (the servers are sized for it)`);
        }
        const store = env.EVENT_STORE_URL ?? '';
        if (/^esdb/.test(store) && !/[?&]tls=false(&|$)/.test(store)) {
          if (!/[?&]tlsCAFile=/.test(store))
            problems.push(`${name}: KurrentDB TLS without tlsCAFile`);
          if (
            !/^esdb(\+discover)?:\/\/[^@/?]+@/.test(store) ||
            env.EVENT_STORE_PASSWORD_FILE === undefined
          ) {
            problems.push(`${name}: KurrentDB without a user and EVENT_STORE_PASSWORD_FILE`);
          }
        }
        return problems;
      }),
    );
}
