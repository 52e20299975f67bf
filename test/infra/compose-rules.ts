import { processConnections } from '@waypoint/runtime';
import { interpolate } from './interpolate.js';
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
const at = (value: Json | undefined, ...path: string[]): Json | undefined =>
  path.reduce<Json | undefined>((node, key) => (isObject(node) ? node[key] : undefined), value);

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

/** What an operator sets before `docker compose up` (infra/README.md): values are read with them. */
export const OPERATOR_VARIABLES: Readonly<Record<string, string>> = {
  WAYPOINT_IDP_ORIGIN: 'https://id.example.org',
  WAYPOINT_ISSUER: 'https://id.example.org/',
  WAYPOINT_DPO_ORG_IDS: '0190a5b2-7c1e-7d3a-9f42-6b8e1c2d3f4a',
};

/** A service's environment as its container gets it (variables interpolated). */
export function interpolatedEnvironment(
  service: JsonObject,
  variables: Readonly<Record<string, string>> = OPERATOR_VARIABLES,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment(service)).map(([key, value]) => [
      key,
      interpolate(value, variables),
    ]),
  );
}

/** Where each secret a service mounts appears in its container. */
function secretPaths(service: JsonObject): string[] {
  return (Array.isArray(service.secrets) ? service.secrets : []).map((entry) => {
    const target = isObject(entry) ? (entry.target ?? entry.source) : entry;
    const name = text(target);
    return name.startsWith('/') ? name : `/run/secrets/${name}`;
  });
}

/** Mount points of a service's volumes (named or not) and tmpfs. */
function mountPoints(service: JsonObject): { path: string; persistent: boolean }[] {
  const volumes = (Array.isArray(service.volumes) ? service.volumes : []).map((entry) => ({
    path: isObject(entry) ? text(entry.target) : (text(entry).split(':')[1] ?? ''),
    persistent: true,
  }));
  const tmpfs = (Array.isArray(service.tmpfs) ? service.tmpfs : [service.tmpfs])
    .filter((entry): entry is string => typeof entry === 'string')
    .map((entry) => ({ path: entry.split(':')[0] ?? '', persistent: false }));
  return [...volumes, ...tmpfs];
}

const under = (path: string, folder: string): boolean =>
  folder !== '' &&
  (path === folder || path.startsWith(folder.endsWith('/') ? folder : `${folder}/`));

/** Every setting that names a file (`*_FILE`) points at a secret the service mounts, or a volume. */
export function fileSettingsAreMounted(compose: JsonObject): string[] {
  return services(compose).flatMap(([name, service]) =>
    Object.entries(interpolatedEnvironment(service)).flatMap(([key, path]) => {
      if (!key.endsWith('_FILE')) return [];
      const mounted =
        secretPaths(service).includes(path) ||
        mountPoints(service).some((mount) => under(path, mount.path));
      return mounted ? [] : [`${name}: ${key} names ${path}, which nothing mounts there`];
    }),
  );
}

/** Files a service appends to, and must keep: on a volume, since the root file system is read-only. */
const WRITTEN_FILES = ['AUDIT_DIGEST_PATH'];

export function writtenFilesAreOnVolumes(compose: JsonObject): string[] {
  return services(compose).flatMap(([name, service]) =>
    Object.entries(interpolatedEnvironment(service)).flatMap(([key, path]) => {
      if (!WRITTEN_FILES.includes(key)) return [];
      const onVolume = mountPoints(service).some(
        (mount) => mount.persistent && under(path, mount.path),
      );
      return onVolume ? [] : [`${name}: ${key} (${path}) is not on a volume`];
    }),
  );
}

/** The hosts a setting names: a URL's (one or a list, as esdb+discover://a:1,b:2), or host:port lists. */
export function hostsIn(value: string): string[] {
  const url = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(value);
  const authority = url ? url[1] : /^[\w.-]+:\d+(,[\w.-]+:\d+)*$/.test(value) ? value : undefined;
  if (authority === undefined) return [];
  return authority
    .replace(/^[^@]*@/, '')
    .split(',')
    .map((hostPort) => hostPort.replace(/:\d+$/, ''))
    .filter((host) => host !== '' && !['0.0.0.0', '127.0.0.1', 'localhost'].includes(host));
}

/** The host names (database server) of a URL setting; '' when it is not set. */
const serverOf = (url: string | undefined): string =>
  url === undefined ? '' : (hostsIn(url)[0] ?? '');

/** The key store is a database server of its own, with a password of its own. */
export function keyStoreStandsApart(compose: JsonObject): string[] {
  return services(compose)
    .filter(([name]) => WAYPOINT_SERVICES.includes(name))
    .flatMap(([name, service]) => {
      const env = interpolatedEnvironment(service);
      const keys = serverOf(env.KEY_STORE_DATABASE_URL);
      if (keys === '')
        return [`${name}: no KEY_STORE_DATABASE_URL (the keys would share the data's database)`];
      const problems: string[] = [];
      if (
        keys === serverOf(env.READ_MODEL_DATABASE_URL) ||
        hostsIn(env.EVENT_STORE_URL ?? '').includes(keys)
      ) {
        problems.push(`${name}: the key store shares a database server with the data`);
      }
      if (env.KEY_STORE_DATABASE_PASSWORD_FILE === env.READ_MODEL_DATABASE_PASSWORD_FILE) {
        problems.push(`${name}: the key store shares the data's password`);
      }
      return problems;
    });
}

/** Against real brokers the producer is idempotent (no duplicates from its own retries). */
export function producersAreIdempotent(compose: JsonObject): string[] {
  return services(compose).flatMap(([name, service]) => {
    const env = interpolatedEnvironment(service);
    return env.KAFKA_BROKERS !== undefined && env.KAFKA_IDEMPOTENT_PRODUCER !== 'true'
      ? [`${name}: KAFKA_IDEMPOTENT_PRODUCER is not true`]
      : [];
  });
}

function networksOf(service: JsonObject): string[] {
  const networks = service.networks;
  if (Array.isArray(networks)) return networks.map(text);
  return isObject(networks) ? Object.keys(networks) : ['default'];
}

/** Settings that name what a container connects to (not identifiers such as AUTH_ISSUER). */
const CONNECTS_TO = /(_URL|_BROKERS|_ORIGIN|_GOSSIP_SEED)$/;

/**
 * Every host a service is configured to reach is on a network it shares; a host outside compose
 * needs a network that is not `internal` (an internal network has no way out).
 */
export function configuredHostsAreReachable(compose: JsonObject): string[] {
  const declared = isObject(compose.networks) ? compose.networks : {};
  const internal = (network: string): boolean => {
    const definition = declared[network];
    return isObject(definition) && definition.internal === true;
  };
  const all = services(compose);
  const byHost = new Map<string, JsonObject>();
  for (const [name, service] of all) {
    byHost.set(name, service);
    if (typeof service.hostname === 'string') byHost.set(service.hostname, service);
  }
  return all.flatMap(([name, service]) => {
    const mine = networksOf(service);
    const connections = Object.entries(interpolatedEnvironment(service)).filter(([key]) =>
      CONNECTS_TO.test(key),
    );
    return connections.flatMap(([key, value]) =>
      hostsIn(value).flatMap((host) => {
        const target = byHost.get(host);
        if (target) {
          return networksOf(target).some((network) => mine.includes(network))
            ? []
            : [`${name}: ${key} names ${host}, on no network ${name} is on`];
        }
        return mine.some((network) => !internal(network))
          ? []
          : [
              `${name}: ${key} names ${host} outside compose, but ${name} is on internal networks only`,
            ];
      }),
    );
  });
}

/**
 * Every service recognises the data-protection officers of the organisations the operator names
 * (DPO_ORG_IDS): with none, nobody can register the organisation directory, and every other
 * token is refused.
 */
export function dpoOrganisationsAreNamed(compose: JsonObject): string[] {
  const all = new Map(services(compose));
  return WAYPOINT_SERVICES.flatMap((name) => {
    const service = all.get(name);
    if (!service) return [];
    return interpolatedEnvironment(service).DPO_ORG_IDS?.trim()
      ? []
      : [`${name}: no DPO_ORG_IDS (no data-protection officer is recognised)`];
  });
}

/** /metrics is served only with a bearer secret (METRICS_CREDENTIAL_FILE; mounted, by another rule). */
export function metricsAskForACredential(compose: JsonObject): string[] {
  const all = new Map(services(compose));
  return WAYPOINT_SERVICES.flatMap((name) => {
    const service = all.get(name);
    if (!service) return [];
    return interpolatedEnvironment(service).METRICS_CREDENTIAL_FILE
      ? []
      : [`${name}: no METRICS_CREDENTIAL_FILE (/metrics is not served)`];
  });
}

/** A compose duration (`1m30s`, `500ms`) in seconds; undefined when it is not one. */
export function durationSeconds(value: string): number | undefined {
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(h|ms|us|m|s)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== value) return undefined;
  const unit = { h: 3600, m: 60, s: 1, ms: 0.001, us: 0.000001 } as const;
  return parts.reduce(
    (sum, [, amount, scale]) => sum + Number(amount) * unit[scale as keyof typeof unit],
    0,
  );
}

/** The SIGTERM drain: in-flight requests up to 10 s, then consumers, relay and pools close. */
export const MINIMUM_GRACE_SECONDS = 15;

/** Each service is given time to stop (compose kills it after `stop_grace_period`, default 10 s). */
export function servicesStopGracefully(compose: JsonObject): string[] {
  const all = new Map(services(compose));
  return WAYPOINT_SERVICES.flatMap((name) => {
    const service = all.get(name);
    if (!service) return [];
    const given = service.stop_grace_period;
    const seconds = typeof given === 'string' ? durationSeconds(given) : 10;
    return seconds !== undefined && seconds >= MINIMUM_GRACE_SECONDS
      ? []
      : [
          `${name}: stop_grace_period ${given === undefined ? '10s (the default)' : text(given)} is under ${String(MINIMUM_GRACE_SECONDS)}s`,
        ];
  });
}

/**
 * How each service feeds its read models (its definition in services/<name>/src/distributed.ts):
 * from its own store, from the other services' topics, or none. With the pool size and Kafka, it
 * gives the most PostgreSQL connections one process holds (`processConnections`).
 */
export const SERVICE_PROJECTIONS: Readonly<Record<string, 'own-store' | 'services' | undefined>> = {
  identification: undefined,
  shelter: 'own-store',
  care: 'own-store',
  legal: 'own-store',
  reintegration: 'own-store',
  journey: 'services',
  audit: 'services',
  analytics: 'services',
};
/** PostgreSQL's own defaults: max_connections, and the slots kept for superusers. */
const DEFAULT_MAX_CONNECTIONS = 100;
export const SUPERUSER_RESERVED_CONNECTIONS = 3;

/** A PostgreSQL container's max_connections, from `-c max_connections=N` in its command. */
export function maxConnections(service: JsonObject): number {
  const command = Array.isArray(service.command)
    ? service.command.map(text).join(' ')
    : typeof service.command === 'string'
      ? service.command
      : '';
  const set = /max_connections=(\d+)/.exec(command)?.[1];
  return set === undefined ? DEFAULT_MAX_CONNECTIONS : Number(set);
}

const POSTGRES_URL = /^postgres(?:ql)?:\/\//;

/**
 * Each PostgreSQL server in compose admits every process that connects to it with all its pools
 * full: the sum of `processConnections(DATABASE_POOL_SIZE, …)` over those processes (times their
 * replicas), plus the superusers' reserved slots, within its max_connections. So
 * DATABASE_POOL_SIZE is set explicitly: the sizing follows it.
 */
export function databasesAdmitEveryPool(compose: JsonObject): string[] {
  const all = services(compose);
  const byHost = new Map<string, [string, JsonObject]>();
  for (const [name, service] of all) {
    byHost.set(name, [name, service]);
    if (typeof service.hostname === 'string') byHost.set(service.hostname, [name, service]);
  }
  const problems: string[] = [];
  const demand = new Map<string, number>();
  for (const [name, service] of all.filter(([candidate]) =>
    WAYPOINT_SERVICES.includes(candidate),
  )) {
    const env = interpolatedEnvironment(service);
    const poolSize = Number(env.DATABASE_POOL_SIZE);
    if (!env.DATABASE_POOL_SIZE || !Number.isInteger(poolSize) || poolSize < 2) {
      problems.push(
        `${name}: DATABASE_POOL_SIZE is not set to a pool size (the sizing follows it)`,
      );
      continue;
    }
    const projections = SERVICE_PROJECTIONS[name];
    const perProcess = processConnections(poolSize, {
      kafka: env.KAFKA_BROKERS !== undefined,
      ...(projections === undefined ? {} : { projections }),
    });
    const replicas = at(service, 'deploy', 'replicas');
    const processes = typeof replicas === 'number' ? replicas : 1;
    const servers = new Set(
      [env.EVENT_STORE_URL, env.READ_MODEL_DATABASE_URL, env.KEY_STORE_DATABASE_URL]
        .filter((url): url is string => url !== undefined && POSTGRES_URL.test(url))
        .map((url) => serverOf(url)),
    );
    for (const server of servers) {
      demand.set(server, (demand.get(server) ?? 0) + perProcess * processes);
    }
  }
  for (const [host, connections] of demand) {
    const server = byHost.get(host);
    if (!server) continue;
    const [name, service] = server;
    const needed = connections + SUPERUSER_RESERVED_CONNECTIONS;
    const max = maxConnections(service);
    if (max < needed) {
      problems.push(
        `${name}: max_connections ${String(max)} is under ${String(needed)} (${String(connections)} for the services' pools at their most, ${String(SUPERUSER_RESERVED_CONNECTIONS)} reserved)`,
      );
    }
  }
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
  fileSettingsAreMounted,
  writtenFilesAreOnVolumes,
  keyStoreStandsApart,
  producersAreIdempotent,
  configuredHostsAreReachable,
  dpoOrganisationsAreNamed,
  metricsAskForACredential,
  servicesStopGracefully,
  databasesAdmitEveryPool,
};
