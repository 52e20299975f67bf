import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { interpolatedEnvironment } from './compose-rules.js';
import { containerEnvironment } from './k8s-rules.js';
import { INFRA, readYaml, readYamlDocuments, type JsonObject } from './schemas.js';
import { configProblems, knownKeys, SERVICE_NAMES, type ServiceName } from './service-catalogue.js';

/**
 * Each service reads its environment with its own configuration schema (`configOrExit` in its
 * main.ts): the environment compose and Kubernetes give it must pass that schema as it is, every
 * required setting there and every value well formed, with no key the service does not know.
 */
const NOT_CONFIGURATION = new Set(['SERVICE', 'NODE_ENV', 'POD_NAME']);

function composeEnv(name: ServiceName): Record<string, string> {
  const service = (readYaml('compose.yaml').services as Record<string, JsonObject>)[name];
  if (!service) throw new Error(`compose has no ${name}`);
  return interpolatedEnvironment(service);
}

function k8sEnv(name: ServiceName, documents: JsonObject[]): Record<string, string> {
  const deployment = documents.find(
    (d) => d.kind === 'Deployment' && (d.metadata as JsonObject).name === name,
  );
  const spec = deployment && ((deployment.spec as JsonObject).template as JsonObject).spec;
  const container = ((spec as JsonObject | undefined)?.containers as JsonObject[] | undefined)?.[0];
  if (!container) throw new Error(`no Deployment ${name}`);
  return containerEnvironment(documents, container);
}

const k8sDocuments = (): JsonObject[] =>
  readdirSync(join(INFRA, 'k8s'))
    .filter((file) => file.endsWith('.yaml'))
    .flatMap((file) => readYamlDocuments(`k8s/${file}`));

const unknownKeys = (name: ServiceName, env: Record<string, string>): string[] =>
  Object.keys(env).filter((key) => !knownKeys(name).has(key) && !NOT_CONFIGURATION.has(key));

describe.each([
  ['compose', (name: ServiceName) => composeEnv(name)],
  ['Kubernetes', (name: ServiceName) => k8sEnv(name, k8sDocuments())],
] as const)('the environment %s gives each service', (_deployment, envOf) => {
  it.each(SERVICE_NAMES)('passes the %s service’s own configuration schema', (name) => {
    expect(configProblems(name, envOf(name))).toEqual([]);
  });

  it.each(SERVICE_NAMES)('holds no key the %s service does not read', (name) => {
    expect(unknownKeys(name, envOf(name))).toEqual([]);
  });
});

describe('the check itself', () => {
  it('names a required setting that is missing, and a malformed one', () => {
    const env = composeEnv('identification');
    delete env.BLIND_INDEX_KEY_FILE;
    env.KAFKA_BROKERS = 'kafka-1';
    expect(configProblems('identification', env)).toEqual([
      'identification: KAFKA_BROKERS.0: must be host:port',
      'identification: BLIND_INDEX_KEY: set exactly one of BLIND_INDEX_KEY and BLIND_INDEX_KEY_FILE (neither is set)',
    ]);
  });

  it('names a key no service reads', () => {
    expect(unknownKeys('audit', { ...composeEnv('audit'), AUDIT_DIGEST_FILE: '/x' })).toEqual([
      'AUDIT_DIGEST_FILE',
    ]);
  });
});
