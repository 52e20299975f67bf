import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { ConfigMap, PersistentVolumeClaim, Service } from 'kubernetes-models/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { describe, expect, it } from 'vitest';
import { INFRA, readYamlDocuments, type JsonObject } from './schemas.js';

/**
 * The manifests against the Kubernetes API's own OpenAPI schemas, as compiled into validators by
 * `kubernetes-models` 4.5.1 (generated from the Kubernetes 1.33 OpenAPI document: the API groups
 * we use, apps/v1, v1, networking.k8s.io/v1 and policy/v1, are the same in 1.31). This is the
 * published schema; the strict subset in k8s.unit.spec.ts adds "no unknown field".
 */
type Model = { validate(): void };
const MODELS: Record<string, (document: never) => Model> = {
  'apps/v1/Deployment': (d) => new Deployment(d),
  'v1/Service': (d) => new Service(d),
  'v1/ConfigMap': (d) => new ConfigMap(d),
  'v1/PersistentVolumeClaim': (d) => new PersistentVolumeClaim(d),
  'networking.k8s.io/v1/Ingress': (d) => new Ingress(d),
  'networking.k8s.io/v1/NetworkPolicy': (d) => new NetworkPolicy(d),
  'policy/v1/PodDisruptionBudget': (d) => new PodDisruptionBudget(d),
};

const documents = (): JsonObject[] =>
  readdirSync(join(INFRA, 'k8s'))
    .filter((file) => file.endsWith('.yaml'))
    .flatMap((file) => readYamlDocuments(`k8s/${file}`));

function problems(document: JsonObject): string | undefined {
  const key = `${JSON.stringify(document.apiVersion)}/${JSON.stringify(document.kind)}`.replaceAll(
    '"',
    '',
  );
  const model = MODELS[key];
  if (!model) return `${key}: no published schema wired for this kind`;
  try {
    model(document as never).validate();
    return undefined;
  } catch (error) {
    return `${key}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

describe('infra/k8s manifests against the published Kubernetes OpenAPI schemas', () => {
  it('are all valid', () => {
    const all = documents();
    expect(all.length).toBeGreaterThan(20);
    expect(all.map(problems).filter((problem) => problem !== undefined)).toEqual([]);
  });

  it('refuse a manifest with a wrong type where the API wants another', () => {
    const deployment = documents().find((document) => document.kind === 'Deployment');
    if (!deployment) throw new Error('no Deployment');
    const broken = structuredClone(deployment) as Record<string, unknown>;
    (broken['spec'] as Record<string, unknown>)['replicas'] = 'three';
    expect(problems(broken as JsonObject)).toMatch(/replicas must be integer/);
    const noContainers = structuredClone(deployment) as {
      spec: { template: { spec: Record<string, unknown> } };
    };
    delete noContainers.spec.template.spec['containers'];
    expect(problems(noContainers as unknown as JsonObject)).toMatch(/containers/);
  });
});
