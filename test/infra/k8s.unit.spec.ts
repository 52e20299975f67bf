import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WAYPOINT_SERVICES } from './compose-rules.js';
import {
  deploymentsHaveProbesAndResources,
  deploymentsRunAsNonRoot,
  everyDeploymentHasADisruptionBudget,
  everyDeploymentHasAService,
  onlyTheGatewayReachesServices,
  secretsAreReferencedNotInlined,
} from './k8s-rules.js';
import { INFRA, k8sValidators, readYamlDocuments, text, type JsonObject } from './schemas.js';

const files = readdirSync(join(INFRA, 'k8s')).filter((file) => file.endsWith('.yaml'));
const load = (): JsonObject[] => files.flatMap((file) => readYamlDocuments(`k8s/${file}`));
const validators = k8sValidators();
const GATEWAY = {
  namespace: 'ingress-nginx',
  podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' },
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
  it('hold a Deployment, a Service and a PodDisruptionBudget for every service', () => {
    const documents = load();
    for (const kind of ['Deployment', 'Service', 'PodDisruptionBudget']) {
      expect(documents.filter((d) => d.kind === kind).map((d) => dig(d, 'metadata').name)).toEqual(
        WAYPOINT_SERVICES,
      );
    }
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
    ['a PodDisruptionBudget selects each Deployment', everyDeploymentHasADisruptionBudget],
    ['a Service selects each Deployment', everyDeploymentHasAService],
    ['secrets are referenced, never inlined', secretsAreReferencedNotInlined],
  ] as const)('%s', (_label, rule) => {
    expect(rule(load())).toEqual([]);
  });

  it('the NetworkPolicy lets only the gateway reach the services', () => {
    expect(onlyTheGatewayReachesServices(load(), GATEWAY)).toEqual([]);
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
      delete dig(container as JsonObject, 'resources', 'requests').memory;
      expect(deploymentsHaveProbesAndResources(documents)).toEqual([
        'care/care: no readiness probe on /ready',
        'care/care: no memory requests',
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
      expect(onlyTheGatewayReachesServices(documents, GATEWAY)).toEqual([
        'no default-deny ingress policy',
        'services-from-gateway-only: admits a peer that is not the gateway',
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
