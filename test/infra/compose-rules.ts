import { text, type Json, type JsonObject } from './schemas.js';

/**
 * What the compose schema cannot say about our stack. Each rule returns the problems it finds,
 * so that a test can break a document on purpose and name the rule that catches it.
 */
export const WAYPOINT_SERVICES = [
  'identification',
  'shelter',
  'care',
  'legal',
  'reintegration',
  'journey',
  'audit',
  'analytics',
];
const WRITE_SERVICES = ['identification', 'shelter', 'care', 'legal', 'reintegration'];
export const REQUIRED_TOPICS = [
  ...WRITE_SERVICES.map((service) => `waypoint.${service}.v1`),
  'waypoint.integration.v1',
].flatMap((topic) => [topic, `${topic}.dlq`]);
const REQUIRED_ENV = [
  'EVENT_STORE_URL',
  'KAFKA_BROKERS',
  'READ_MODEL_DATABASE_URL',
  'MASTER_KEY_FILE',
  'AUTH_JWKS_URL',
  'AUTH_ISSUER',
  'AUTH_AUDIENCE',
];
/** Names that hold a secret; their values must come from files (`*_FILE`), never inline. */
const SECRET_NAME = /PASSWORD|SECRET|TOKEN|PRIVATE|(^|_)KEY$|CREDENTIAL/i;
const CREDENTIALS_IN_URL = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]+:[^/@\s]+@/i;

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function services(compose: JsonObject): [string, JsonObject][] {
  const all = compose.services;
  if (!isObject(all)) return [];
  return Object.entries(all).flatMap(([name, service]) =>
    isObject(service) ? [[name, service] as [string, JsonObject]] : [],
  );
}

function environment(service: JsonObject): Record<string, string> {
  const env = service.environment;
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const line = text(entry);
        const at = line.indexOf('=');
        return at < 0 ? [line, ''] : [line.slice(0, at), line.slice(at + 1)];
      }),
    );
  }
  if (!isObject(env)) return {};
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [key, value === null ? '' : text(value)]),
  );
}

export function everyServiceHasAHealthcheck(compose: JsonObject): string[] {
  return services(compose).flatMap(([name, service]) => {
    const check = service.healthcheck;
    if (!isObject(check) || check.disable === true) return [`${name}: no healthcheck`];
    const test = check.test;
    const empty = test === undefined || (Array.isArray(test) && test[0] === 'NONE');
    return empty ? [`${name}: healthcheck without a test`] : [];
  });
}

export function secretsComeFromFiles(compose: JsonObject): string[] {
  const secrets = isObject(compose.secrets) ? Object.entries(compose.secrets) : [];
  const declared = secrets.flatMap(([name, secret]) =>
    isObject(secret) && typeof secret.file === 'string' && secret.file !== ''
      ? []
      : [`secret ${name}: must reference a file`],
  );
  const used = services(compose).flatMap(([name, service]) =>
    (Array.isArray(service.secrets) ? service.secrets : []).flatMap((entry) => {
      const source = isObject(entry) ? entry.source : entry;
      return typeof source === 'string' && isObject(compose.secrets) && source in compose.secrets
        ? []
        : [`${name}: uses an undeclared secret ${JSON.stringify(source)}`];
    }),
  );
  return [...declared, ...used];
}

export function noInlineSecretValues(compose: JsonObject): string[] {
  return services(compose).flatMap(([name, service]) =>
    Object.entries(environment(service)).flatMap(([key, value]) => {
      if (CREDENTIALS_IN_URL.test(value)) return [`${name}: ${key} carries credentials in a URL`];
      if (SECRET_NAME.test(key) && !key.endsWith('_FILE')) {
        return [`${name}: ${key} is a secret given inline; mount it and pass ${key}_FILE`];
      }
      return [];
    }),
  );
}

export function everyVolumeIsNamed(compose: JsonObject): string[] {
  const declared = isObject(compose.volumes) ? Object.keys(compose.volumes) : [];
  return services(compose).flatMap(([name, service]) =>
    (Array.isArray(service.volumes) ? service.volumes : []).flatMap((entry) => {
      const source = isObject(entry)
        ? entry.type === 'volume' || entry.type === undefined
          ? entry.source
          : null
        : text(entry).includes(':')
          ? text(entry).split(':')[0]
          : null;
      if (typeof source !== 'string' || source === '') {
        return [`${name}: anonymous volume or bind mount ${JSON.stringify(entry)}`];
      }
      return declared.includes(source) ? [] : [`${name}: volume ${source} is not declared`];
    }),
  );
}

export function onlyTheProxyPublishesPorts(compose: JsonObject): string[] {
  return services(compose).flatMap(([name, service]) =>
    name !== 'proxy' && Array.isArray(service.ports) && service.ports.length > 0
      ? [`${name}: publishes ports; only the proxy may`]
      : [],
  );
}

export function waypointServicesAreConfigured(compose: JsonObject): string[] {
  const all = new Map(services(compose));
  return WAYPOINT_SERVICES.flatMap((name) => {
    const service = all.get(name);
    if (!service) return [`${name}: missing`];
    const env = environment(service);
    return [
      ...REQUIRED_ENV.filter((key) => !env[key]).map((key) => `${name}: no ${key}`),
      ...(env.SERVICE === name ? [] : [`${name}: SERVICE is not ${name}`]),
    ];
  });
}

export function clustersHaveThreeNodes(compose: JsonObject): string[] {
  const names = services(compose).map(([name]) => name);
  const kurrent = names.filter((name) => /^kurrentdb-\d+$/.test(name));
  const kafka = services(compose).filter(
    ([name, service]) =>
      /^kafka-\d+$/.test(name) && environment(service).KAFKA_PROCESS_ROLES?.includes('controller'),
  );
  return [
    ...(kurrent.length === 3 ? [] : [`KurrentDB has ${String(kurrent.length)} nodes, not 3`]),
    ...(kafka.length === 3 ? [] : [`Kafka has ${String(kafka.length)} KRaft brokers, not 3`]),
  ];
}

/** The topic job creates every topic, each kept for ever and never compacted. */
export function topicsAreCreatedForever(compose: JsonObject): string[] {
  const job = new Map(services(compose)).get('kafka-topics');
  if (!job) return ['kafka-topics: missing'];
  const script = (Array.isArray(job.command) ? job.command : [job.command]).map(text).join('\n');
  const created = [...script.matchAll(/^\s*create\s+(\S+)\s*$/gm)].map((match) => match[1]);
  const problems = REQUIRED_TOPICS.filter((topic) => !created.includes(topic)).map(
    (topic) => `topic ${topic} is not created`,
  );
  if (!/--config retention\.ms=-1(\s|$)/.test(script)) problems.push('retention.ms is not -1');
  if (!/--config cleanup\.policy=delete(\s|$)/.test(script)) {
    problems.push('cleanup.policy is not delete');
  }
  if (/compact/.test(script)) problems.push('a topic is compacted');
  return problems;
}

export const COMPOSE_RULES = {
  everyServiceHasAHealthcheck,
  secretsComeFromFiles,
  noInlineSecretValues,
  everyVolumeIsNamed,
  onlyTheProxyPublishesPorts,
  waypointServicesAreConfigured,
  clustersHaveThreeNodes,
  topicsAreCreatedForever,
};
