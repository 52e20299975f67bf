import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { processConnections } from '@waypoint/runtime';
import {
  COMPOSE_RULES,
  configuredHostsAreReachable,
  databasesAdmitEveryPool,
  dpoOrganisationsAreNamed,
  durationSeconds,
  interpolatedEnvironment,
  maxConnections,
  metricsAskForACredential,
  OPERATOR_VARIABLES,
  SERVICE_PROJECTIONS,
  servicesStopGracefully,
  SUPERUSER_RESERVED_CONNECTIONS,
  WAYPOINT_SERVICES,
  fileSettingsAreMounted,
  keyStoreStandsApart,
  producersAreIdempotent,
  writtenFilesAreOnVolumes,
  clustersHaveThreeNodes,
  everyServiceHasAHealthcheck,
  everyVolumeIsNamed,
  noInlineSecretValues,
  onlyTheProxyPublishesPorts,
  secretsComeFromFiles,
  topicsAreCreatedForever,
  waypointServicesAreConfigured,
} from './compose-rules.js';
import { composeValidator, describeErrors, INFRA, readYaml, type JsonObject } from './schemas.js';

const validate = composeValidator();
const fresh = (): JsonObject => readYaml('compose.yaml');
type Node = Record<string, unknown>;
const node = (value: unknown): Node => value as Node;
/** The compose file with one change made in memory. */
const edit = (mutate: (services: Node, compose: Node) => void): JsonObject => {
  const compose = fresh();
  mutate(node(compose.services), node(compose));
  return compose;
};
const env = (services: Node, name: string): Node => node(node(services[name]).environment);

describe('infra/compose.yaml', () => {
  it('is valid against the compose specification schema', () => {
    const compose = fresh();
    expect(validate(compose), describeErrors(validate.errors)).toBe(true);
  });

  it.each(Object.entries(COMPOSE_RULES))('passes the %s rule', (_name, rule) => {
    expect(rule(fresh())).toEqual([]);
  });

  it("knows how each service feeds its read models, as the service's definition says", () => {
    for (const name of WAYPOINT_SERVICES) {
      const definition = readFileSync(join(INFRA, `../services/${name}/src/service.ts`), 'utf8');
      const source = /\bsource:\s*'(own-store|services)'/.exec(definition)?.[1];
      expect(source, name).toBe(SERVICE_PROJECTIONS[name]);
    }
  });

  it('sizes PostgreSQL for every pool, with the arithmetic infra/README.md shows', () => {
    const compose = fresh();
    const services = node(compose.services);
    const sum = WAYPOINT_SERVICES.reduce((total, name) => {
      const env = interpolatedEnvironment(node(services[name]) as JsonObject);
      expect(env.DATABASE_POOL_SIZE, name).toBe('10');
      const projections = SERVICE_PROJECTIONS[name];
      return (
        total + processConnections(10, { kafka: true, ...(projections ? { projections } : {}) })
      );
    }, 0);
    expect(sum).toBe(223);
    for (const server of ['postgres', 'postgres-keys']) {
      expect(maxConnections(node(services[server]) as JsonObject)).toBeGreaterThanOrEqual(
        sum + SUPERUSER_RESERVED_CONNECTIONS,
      );
    }
  });

  it('will not start without the organisations whose DPOs are recognised', () => {
    const { WAYPOINT_DPO_ORG_IDS: _named, ...unset } = OPERATOR_VARIABLES;
    const shelter = node(fresh().services).shelter as JsonObject;
    expect(() => interpolatedEnvironment(shelter, unset)).toThrow(
      /WAYPOINT_DPO_ORG_IDS is required/,
    );
    expect(() =>
      interpolatedEnvironment(shelter, { ...OPERATOR_VARIABLES, WAYPOINT_DPO_ORG_IDS: '' }),
    ).toThrow(/WAYPOINT_DPO_ORG_IDS is required/);
  });

  it('reads compose durations', () => {
    expect(durationSeconds('30s')).toBe(30);
    expect(durationSeconds('1m30s')).toBe(90);
    expect(durationSeconds('1500ms')).toBe(1.5);
    expect(durationSeconds('30')).toBeUndefined();
  });

  describe('a broken file is refused', () => {
    it('a service that recognises no DPO, or serves no /metrics', () => {
      const broken = edit((services) => {
        delete env(services, 'care').DPO_ORG_IDS;
        env(services, 'legal').DPO_ORG_IDS = ' ';
        delete env(services, 'audit').METRICS_CREDENTIAL_FILE;
      });
      expect(dpoOrganisationsAreNamed(broken)).toEqual([
        'care: no DPO_ORG_IDS (no data-protection officer is recognised)',
        'legal: no DPO_ORG_IDS (no data-protection officer is recognised)',
      ]);
      expect(metricsAskForACredential(broken)).toEqual([
        'audit: no METRICS_CREDENTIAL_FILE (/metrics is not served)',
      ]);
    });

    it('a metrics credential nothing mounts', () => {
      const broken = edit((services) => {
        const journey = node(services.journey);
        journey.secrets = (journey.secrets as unknown[]).filter(
          (secret) => secret !== 'metrics_credential',
        );
      });
      expect(fileSettingsAreMounted(broken)).toEqual([
        'journey: METRICS_CREDENTIAL_FILE names /run/secrets/metrics_credential, which nothing mounts there',
      ]);
    });

    it('a service killed before it drains', () => {
      const broken = edit((services) => {
        delete node(services.shelter).stop_grace_period;
        node(services.care).stop_grace_period = '5s';
      });
      expect(servicesStopGracefully(broken)).toEqual([
        'shelter: stop_grace_period 10s (the default) is under 15s',
        'care: stop_grace_period 5s is under 15s',
      ]);
    });

    it('pools PostgreSQL cannot admit: more per process, more processes, or the default limit', () => {
      const bigger = edit((services) => {
        env(services, 'journey').DATABASE_POOL_SIZE = '40';
      });
      // journey at 40 holds 41 + 5 + 5 + 1 + 5 + 1 = 58, 30 more than at 10: 223 + 30.
      expect(databasesAdmitEveryPool(bigger)).toEqual([
        "postgres: max_connections 250 is under 256 (253 for the services' pools at their most, 3 reserved)",
        "postgres-keys: max_connections 250 is under 256 (253 for the services' pools at their most, 3 reserved)",
      ]);
      const scaled = edit((services) => {
        node(services.shelter).deploy = { replicas: 2 };
      });
      expect(databasesAdmitEveryPool(scaled)).toHaveLength(2);
      const defaults = edit((services) => {
        delete node(services['postgres-keys']).command;
        delete env(services, 'analytics').DATABASE_POOL_SIZE;
      });
      expect(databasesAdmitEveryPool(defaults)).toEqual([
        'analytics: DATABASE_POOL_SIZE is not set to a pool size (the sizing follows it)',
        "postgres-keys: max_connections 100 is under 198 (195 for the services' pools at their most, 3 reserved)",
      ]);
    });

    it('by the schema: a healthcheck interval that is not a duration string', () => {
      const broken = edit((services) => {
        node(services.shelter).healthcheck = { test: ['CMD', 'true'], interval: 10 };
      });
      expect(validate(broken)).toBe(false);
      expect(describeErrors(validate.errors)).toMatch(/healthcheck\/interval/);
    });

    it('by the schema: an unknown service key', () => {
      const broken = edit((services) => {
        node(services.care).helthcheck = {};
      });
      expect(validate(broken)).toBe(false);
    });

    it('a service without a healthcheck, or with it disabled', () => {
      const broken = edit((services) => {
        delete node(services.postgres).healthcheck;
        node(services.audit).healthcheck = { disable: true };
      });
      expect(everyServiceHasAHealthcheck(broken)).toEqual([
        'postgres: no healthcheck',
        'audit: no healthcheck',
      ]);
    });

    it('a secret given inline, as a value or inside a URL', () => {
      const broken = edit((services) => {
        env(services, 'legal').READ_MODEL_DATABASE_URL =
          'postgres://waypoint:hunter2@postgres:5432/waypoint';
        env(services, 'postgres').POSTGRES_PASSWORD = 'hunter2';
      });
      expect(noInlineSecretValues(broken)).toEqual([
        'postgres: POSTGRES_PASSWORD is a secret given inline; mount it and pass POSTGRES_PASSWORD_FILE',
        'legal: READ_MODEL_DATABASE_URL carries credentials in a URL',
      ]);
    });

    it('a secret that does not come from a file', () => {
      const broken = edit((_services, compose) => {
        node(compose.secrets).master_key = { environment: 'MASTER_KEY' };
      });
      expect(secretsComeFromFiles(broken)).toEqual(['secret master_key: must reference a file']);
    });

    it('an anonymous volume, a bind mount or an undeclared volume', () => {
      const broken = edit((services) => {
        node(services.postgres).volumes = ['/var/lib/postgresql/data'];
        node(services['kafka-1']).volumes = ['./kafka:/var/lib/kafka/data'];
        node(services['kafka-2']).volumes = ['kafka-x:/var/lib/kafka/data'];
      });
      expect(everyVolumeIsNamed(broken)).toEqual([
        'kafka-1: volume ./kafka is not declared',
        'kafka-2: volume kafka-x is not declared',
        'postgres: anonymous volume or bind mount "/var/lib/postgresql/data"',
      ]);
    });

    it('a port published by anything but the proxy', () => {
      const broken = edit((services) => {
        node(services.postgres).ports = ['5432:5432'];
      });
      expect(onlyTheProxyPublishesPorts(broken)).toEqual([
        'postgres: publishes ports; only the proxy may',
      ]);
    });

    it('a service without its settings, or a cluster short of a node', () => {
      const broken = edit((services) => {
        delete env(services, 'journey').KAFKA_BROKERS;
        delete services['kurrentdb-3'];
      });
      expect(waypointServicesAreConfigured(broken)).toEqual(['journey: no KAFKA_BROKERS']);
      expect(clustersHaveThreeNodes(broken)).toEqual(['KurrentDB has 2 nodes, not 3']);
    });

    it('a service on the internal network only, configured with a host outside', () => {
      const broken = edit((services) => {
        env(services, 'care').AUTH_JWKS_URL = 'https://id.example.org/.well-known/jwks.json';
        node(services.jwks).networks = ['backend'];
      });
      expect(configuredHostsAreReachable(broken)).toEqual([
        'jwks: WAYPOINT_IDP_ORIGIN names id.example.org outside compose, but jwks is on internal networks only',
        'care: AUTH_JWKS_URL names id.example.org outside compose, but care is on internal networks only',
      ]);
    });

    it('a host on no network the service shares', () => {
      const broken = edit((services) => {
        node(services['postgres-keys']).networks = ['frontend'];
      });
      expect(configuredHostsAreReachable(broken)).toContain(
        'audit: KEY_STORE_DATABASE_URL names postgres-keys, on no network audit is on',
      );
    });

    it('a file setting that points where no secret is mounted', () => {
      const broken = edit((services) => {
        node(services.identification).secrets = [
          'master_key',
          'postgres_password',
          'key_store_password',
          'metrics_credential',
        ];
      });
      expect(fileSettingsAreMounted(broken)).toEqual([
        'identification: BLIND_INDEX_KEY_FILE names /run/secrets/blind_index_key, which nothing mounts there',
      ]);
    });

    it('digests written to the read-only root, or to a tmpfs', () => {
      const broken = edit((services) => {
        delete node(services.audit).volumes;
        node(services.audit).tmpfs = ['/tmp', '/var/lib/waypoint'];
      });
      expect(writtenFilesAreOnVolumes(broken)).toEqual([
        'audit: AUDIT_DIGEST_PATH (/var/lib/waypoint/audit-digests.jsonl) is not on a volume',
      ]);
    });

    it('the key store in the data database, or under its password', () => {
      const broken = edit((services) => {
        env(services, 'shelter').KEY_STORE_DATABASE_URL =
          'postgres://waypoint@postgres:5432/waypoint';
        env(services, 'care').KEY_STORE_DATABASE_PASSWORD_FILE = '/run/secrets/postgres_password';
      });
      expect(keyStoreStandsApart(broken)).toEqual([
        'shelter: the key store shares a database server with the data',
        "care: the key store shares the data's password",
      ]);
    });

    it('a producer that is not idempotent', () => {
      const broken = edit((services) => {
        delete env(services, 'legal').KAFKA_IDEMPOTENT_PRODUCER;
      });
      expect(producersAreIdempotent(broken)).toEqual([
        'legal: KAFKA_IDEMPOTENT_PRODUCER is not true',
      ]);
    });

    it('a missing topic, a limited retention or a compacted topic', () => {
      const broken = edit((services) => {
        const job = node(services['kafka-topics']);
        job.command = (job.command as string[]).map((line) =>
          line
            .replace('retention.ms=-1', 'retention.ms=604800000')
            .replace('cleanup.policy=delete', 'cleanup.policy=compact')
            .replace('create waypoint.care.v1.dlq\n', ''),
        );
      });
      expect(topicsAreCreatedForever(broken)).toEqual([
        'topic waypoint.care.v1.dlq is not created',
        'retention.ms is not -1',
        'cleanup.policy is not delete',
        'a topic is compacted',
      ]);
    });
  });
});
