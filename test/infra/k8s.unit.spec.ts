import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WAYPOINT_SERVICES } from './compose-rules.js';
import {
  deploymentsHaveProbesAndResources,
  deploymentsRunAsNonRoot,
  everyDeploymentHasADisruptionBudget,
  everyDeploymentHasAService,
  fileSettingsAreMountedAndReadable,
  ingressOnlyThroughTheEdge,
  podsProbeAndStopAsServicesNeed,
  secretsAreReferencedNotInlined,
  serviceSettingsAreSound,
  writtenFilesArePersistent,
} from './k8s-rules.js';
import { INFRA, k8sValidators, readYamlDocuments, text, type JsonObject } from './schemas.js';

const files = readdirSync(join(INFRA, 'k8s')).filter((file) => file.endsWith('.yaml'));
const load = (): JsonObject[] => files.flatMap((file) => readYamlDocuments(`k8s/${file}`));
const validators = k8sValidators();
/** Who may reach each tier: the ingress controller the gateway, the gateway the services. */
const IN_FRONT = {
  gateway: { namespace: 'ingress-nginx', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
  service: {
    podLabels: { 'app.kubernetes.io/part-of': 'waypoint', 'waypoint.io/tier': 'gateway' },
  },
};
if (validators.source === 'subset') {
  process.stdout.write(
    `[waypoint] Kubernetes manifests validated against the strict subset schema; the published 1.31 schemas are not in infra/schemas/k8s-1.31 (run infra/schemas/fetch.sh): ${validators.missingPublished.join(', ')}\n`,
  );
}

type Node = Record<string, unknown>;
const dig = (document: JsonObject, ...path: (string | number)[]): Node =>
  path.reduce<Node>((node, key) => node[key] as Node, document as unknown as Node);
const deployment = (documents: JsonObject[], name: string): JsonObject => {
  const found = documents.find((d) => d.kind === 'Deployment' && dig(d, 'metadata').name === name);
  if (!found) throw new Error(`no Deployment ${name}`);
  return found;
};

describe('infra/k8s manifests', () => {
  it('hold a Deployment, a Service and a PodDisruptionBudget for every service and the gateway', () => {
    const documents = load();
    for (const kind of ['Deployment', 'Service', 'PodDisruptionBudget']) {
      expect(
        documents
          .filter((d) => d.kind === kind)
          .map((d) => dig(d, 'metadata').name)
          .sort(),
      ).toEqual([...WAYPOINT_SERVICES, 'gateway'].sort());
    }
  });

  it("the gateway runs compose's proxy Caddyfile, unchanged", () => {
    const map = load().find(
      (d) => d.kind === 'ConfigMap' && dig(d, 'metadata').name === 'waypoint-gateway',
    );
    expect(map && dig(map, 'data').Caddyfile).toBe(
      readFileSync(join(INFRA, 'proxy/Caddyfile'), 'utf8'),
    );
  });

  it(`are valid against the Kubernetes 1.31 schemas (${validators.source})`, () => {
    for (const document of load()) {
      const errors = validators.validate(text(document.kind), document);
      expect(
        errors,
        `${text(document.kind)} ${text(dig(document, 'metadata').name as JsonObject[string])}`,
      ).toEqual([]);
    }
  });

  it.each([
    [
      'every Deployment has both probes and resource requests and limits',
      deploymentsHaveProbesAndResources,
    ],
    ['every Deployment runs as non-root, locked down', deploymentsRunAsNonRoot],
    [
      'probes outwait /ready, never restart on it, and pods get time to drain',
      podsProbeAndStopAsServicesNeed,
    ],
    ['a PodDisruptionBudget selects each Deployment', everyDeploymentHasADisruptionBudget],
    ['a Service selects each Deployment', everyDeploymentHasAService],
    ['secrets are referenced, never inlined', secretsAreReferencedNotInlined],
    [
      'every file a setting names is mounted and readable by the container user',
      fileSettingsAreMountedAndReadable,
    ],
    ['audit digests are written to a persistent volume', writtenFilesArePersistent],
    [
      'the key store stands apart, producers are idempotent, KurrentDB is verified and signed in to, DPOs, metrics and pools are configured',
      serviceSettingsAreSound,
    ],
  ] as const)('%s', (_label, rule) => {
    expect(rule(load())).toEqual([]);
  });

  it('the NetworkPolicies let in only the ingress controller, to the gateway, to the services', () => {
    expect(ingressOnlyThroughTheEdge(load(), IN_FRONT)).toEqual([]);
  });

  describe('a broken manifest is refused', () => {
    it('by the schema: a misspelt field, or a probe port of the wrong type', () => {
      const documents = load();
      const shelter = deployment(documents, 'shelter');
      const container = dig(shelter, 'spec', 'template', 'spec', 'containers', 0);
      container.livenessProb = container.livenessProbe;
      expect(validators.validate('Deployment', shelter)).not.toEqual([]);
      delete container.livenessProb;
      dig(container as JsonObject, 'readinessProbe', 'httpGet').port = true;
      expect(validators.validate('Deployment', shelter)).not.toEqual([]);
    });

    it('by the schema: a PodDisruptionBudget of the wrong API version', () => {
      const budget = load().find((d) => d.kind === 'PodDisruptionBudget');
      if (!budget) throw new Error('no budget');
      expect(
        validators.validate('PodDisruptionBudget', { ...budget, apiVersion: 'policy/v1beta1' }),
      ).not.toEqual([]);
    });

    it('a Deployment without a readiness probe or a memory request', () => {
      const documents = load();
      const container = dig(
        deployment(documents, 'care'),
        'spec',
        'template',
        'spec',
        'containers',
        0,
      );
      delete container.readinessProbe;
      delete container.startupProbe;
      delete dig(container as JsonObject, 'resources', 'requests').memory;
      expect(deploymentsHaveProbesAndResources(documents)).toEqual([
        'care/care: no startup probe on /health',
        'care/care: no readiness probe on /ready',
        'care/care: no memory requests',
      ]);
    });

    it('a readiness probe /ready outlasts, liveness on /ready, or no time to drain', () => {
      const documents = load();
      const legal = deployment(documents, 'legal');
      const container = dig(legal, 'spec', 'template', 'spec', 'containers', 0);
      delete dig(container as JsonObject, 'readinessProbe').timeoutSeconds;
      dig(container as JsonObject, 'livenessProbe', 'httpGet').path = '/ready';
      delete dig(legal, 'spec', 'template', 'spec').terminationGracePeriodSeconds;
      dig(deployment(documents, 'care'), 'spec', 'template', 'spec').terminationGracePeriodSeconds =
        10;
      expect(podsProbeAndStopAsServicesNeed(documents)).toEqual([
        'care: terminationGracePeriodSeconds 10, not 15 or more',
        'legal/legal: livenessProbe on /ready (a dependency down would restart the pod)',
        "legal/legal: readinessProbe timeoutSeconds 1 does not outwait /ready's 2 s checks",
        'legal: terminationGracePeriodSeconds unset, not 15 or more',
      ]);
    });

    it('no DPO organisations, no metrics credential, no explicit pool size', () => {
      const documents = load();
      const config = documents.find(
        (d) => d.kind === 'ConfigMap' && dig(d, 'metadata').name === 'waypoint-config',
      );
      if (!config) throw new Error('no ConfigMap');
      const data = dig(config, 'data');
      delete data.DPO_ORG_IDS;
      delete data.METRICS_CREDENTIAL_FILE;
      delete data.DATABASE_POOL_SIZE;
      expect(serviceSettingsAreSound(documents).filter((p) => p.startsWith('shelter:'))).toEqual([
        'shelter: no DPO_ORG_IDS (no data-protection officer is recognised)',
        'shelter: no METRICS_CREDENTIAL_FILE (/metrics is not served)',
        'shelter: DATABASE_POOL_SIZE is not set (the servers are sized for it)',
      ]);
    });

    it('a metrics credential the pod does not mount', () => {
      const documents = load();
      const volume = dig(
        deployment(documents, 'journey'),
        'spec',
        'template',
        'spec',
        'volumes',
        0,
        'projected',
      );
      volume.sources = (volume.sources as Node[]).filter(
        (source) => dig(source as JsonObject, 'secret').name !== 'waypoint-metrics',
      );
      expect(fileSettingsAreMountedAndReadable(documents)).toEqual([
        'journey: METRICS_CREDENTIAL_FILE names /run/secrets/metrics_credential, which nothing mounts',
      ]);
    });

    it('a Deployment no budget selects, or one that may run as root', () => {
      const documents = load();
      const audit = deployment(documents, 'audit');
      dig(audit, 'spec', 'template', 'metadata', 'labels')['app.kubernetes.io/name'] = 'audit-v2';
      dig(audit, 'spec', 'template', 'spec', 'securityContext').runAsNonRoot = false;
      expect(everyDeploymentHasADisruptionBudget(documents)).toEqual([
        'audit: no PodDisruptionBudget selects it',
      ]);
      expect(deploymentsRunAsNonRoot(documents)).toEqual(['audit: pod may run as root']);
    });

    it('a policy that admits more than the gateway, or no default deny', () => {
      const documents = load().filter(
        (d) => !(d.kind === 'NetworkPolicy' && dig(d, 'metadata').name === 'default-deny-ingress'),
      );
      const policy = documents.find((d) => d.kind === 'NetworkPolicy');
      if (!policy) throw new Error('no policy');
      (dig(policy, 'spec', 'ingress', 0).from as unknown[]).push({
        ipBlock: { cidr: '0.0.0.0/0' },
      });
      expect(ingressOnlyThroughTheEdge(documents, IN_FRONT)).toEqual([
        'no default-deny ingress policy',
        "gateway-from-ingress-controller-only: admits a peer that is not the gateway's front",
      ]);
    });

    it('the ingress controller let straight into the services', () => {
      const documents = load();
      const policy = documents.find(
        (d) =>
          d.kind === 'NetworkPolicy' && dig(d, 'metadata').name === 'services-from-gateway-only',
      );
      if (!policy) throw new Error('no policy');
      (dig(policy, 'spec', 'ingress', 0).from as unknown[]).push({
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
      });
      expect(ingressOnlyThroughTheEdge(documents, IN_FRONT)).toEqual([
        "services-from-gateway-only: admits a peer that is not the service's front",
      ]);
    });

    it('a key file nothing mounts, or a secret its user cannot read', () => {
      const documents = load();
      const identification = deployment(documents, 'identification');
      const volume = dig(identification, 'spec', 'template', 'spec', 'volumes', 0, 'projected');
      volume.sources = (volume.sources as Node[]).filter(
        (source) => dig(source as JsonObject, 'secret').name !== 'waypoint-blind-index-key',
      );
      volume.defaultMode = 0o400;
      const problems = fileSettingsAreMountedAndReadable(documents);
      expect(problems).toContain(
        'identification: BLIND_INDEX_KEY_FILE names /run/secrets/blind_index_key, which nothing mounts',
      );
      expect(problems).toContain(
        "identification: /run/secrets/master_key (mode 400) is unreadable by the container's user",
      );
    });

    it('digests on a volume that does not last', () => {
      const documents = load();
      const volumes = dig(deployment(documents, 'audit'), 'spec', 'template', 'spec', 'volumes');
      const digests = (volumes as unknown as Node[]).find((volume) => volume.name === 'digests');
      if (!digests) throw new Error('no digests volume');
      delete digests.persistentVolumeClaim;
      digests.emptyDir = {};
      expect(writtenFilesArePersistent(documents)).toEqual([
        'audit: AUDIT_DIGEST_PATH (/var/lib/waypoint/digests/<metadata.name>.jsonl) is not on a writable persistent volume',
      ]);
    });

    it('the key store beside the data, a producer not idempotent, KurrentDB unverified', () => {
      const documents = load();
      const config = documents.find(
        (d) => d.kind === 'ConfigMap' && dig(d, 'metadata').name === 'waypoint-config',
      );
      if (!config) throw new Error('no ConfigMap');
      const data = dig(config, 'data');
      data.KEY_STORE_DATABASE_URL =
        'postgres://waypoint_keys@postgres.waypoint-data.svc.cluster.local:5432/waypoint_keys';
      data.KAFKA_IDEMPOTENT_PRODUCER = 'false';
      data.EVENT_STORE_URL =
        'esdb+discover://kurrentdb.waypoint-data.svc.cluster.local:2113?tls=true';
      expect(serviceSettingsAreSound(documents).filter((p) => p.startsWith('care:'))).toEqual([
        'care: the key store shares a database server with the data',
        'care: KAFKA_IDEMPOTENT_PRODUCER is not true',
        'care: KurrentDB TLS without tlsCAFile',
        'care: KurrentDB without a user and EVENT_STORE_PASSWORD_FILE',
      ]);
    });

    it('a secret written into a manifest or a ConfigMap', () => {
      const documents = load();
      const config = documents.find((d) => d.kind === 'ConfigMap');
      if (!config) throw new Error('no ConfigMap');
      dig(config, 'data').READ_MODEL_DATABASE_URL = 'postgres://waypoint:hunter2@postgres/waypoint';
      documents.push({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'leak' },
        stringData: { k: 'v' },
      });
      expect(secretsAreReferencedNotInlined(documents)).toEqual([
        'Secret leak: secret values in a manifest',
        'ConfigMap waypoint-config: READ_MODEL_DATABASE_URL holds a secret',
      ]);
    });
  });
});
