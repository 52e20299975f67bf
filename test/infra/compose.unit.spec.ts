import { describe, expect, it } from 'vitest';
import {
  COMPOSE_RULES,
  clustersHaveThreeNodes,
  everyServiceHasAHealthcheck,
  everyVolumeIsNamed,
  noInlineSecretValues,
  onlyTheProxyPublishesPorts,
  secretsComeFromFiles,
  topicsAreCreatedForever,
  waypointServicesAreConfigured,
} from './compose-rules.js';
import { composeValidator, describeErrors, readYaml, type JsonObject } from './schemas.js';

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

  describe('a broken file is refused', () => {
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
