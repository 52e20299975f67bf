import pg from 'pg';
import { loadConfig } from '@waypoint/service-kit';
import {
  shelterConfigSchema,
  startDistributedShelter,
} from '@waypoint/shelter-service/distributed';
import type { DistributedParticipant } from '@waypoint/runtime';
import { REQUIRE_SERVICES, startKcatMockCluster, type KafkaService } from '@waypoint/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { oneServiceWorld, type OneServiceWorld } from './one-service.js';
import { eventually, quiet } from './support.js';

const { postgresAdminUrl, kafkaBrokers } = inject('services');

if (REQUIRE_SERVICES && (!postgresAdminUrl || !kafkaBrokers))
  throw new Error('WAYPOINT_REQUIRE_SERVICES=1: the readiness suite needs PostgreSQL and Kafka');

interface ReadyAnswer {
  readonly status: number;
  readonly ms: number;
  readonly detail?: string;
  readonly checks: Record<string, { status: string; reason?: string }>;
}

/**
 * `/ready` of a distributed service follows its dependencies: the store, the key store and the
 * brokers (its own mock cluster here, so that the test can take Kafka away), each bounded.
 */
describe.skipIf(!postgresAdminUrl || !kafkaBrokers)(
  'readiness of a distributed service, with its dependencies going away',
  () => {
    let kafka: KafkaService | undefined;
    let world: OneServiceWorld | undefined;
    let shelter: DistributedParticipant | undefined;
    let address = '';

    const ready = async (): Promise<ReadyAnswer> => {
      const started = performance.now();
      const response = await fetch(`${address}/ready`);
      const body = (await response.json()) as Omit<ReadyAnswer, 'status' | 'ms'>;
      return { ...body, status: response.status, ms: performance.now() - started };
    };

    beforeAll(async () => {
      if (!postgresAdminUrl) return;
      kafka = await startKcatMockCluster();
      world = await oneServiceWorld({
        postgresAdminUrl,
        kafkaBrokers: kafka.brokers,
        env: { KAFKA_SESSION_TIMEOUT_MS: '6000', KAFKA_REBALANCE_TIMEOUT_MS: '8000' },
      });
      shelter = await startDistributedShelter(loadConfig(shelterConfigSchema, world.env), quiet);
      address = await shelter.app.listen({ host: '127.0.0.1', port: 0 });
    }, 90_000);

    afterAll(async () => {
      await shelter?.close();
      await kafka?.stop();
      await world?.drop();
    }, 90_000);

    it('is ready once the store, the key store, the brokers, the relay and the consumers are', async () => {
      const answer = await eventually(async () => {
        const current = await ready();
        expect(current.status, JSON.stringify(current)).toBe(200);
        return current;
      }, 60_000);
      expect(Object.keys(answer.checks).sort()).toEqual(
        ['broker', 'journeyFacts', 'keyStore', 'relay', 'store'].sort(),
      );
    });

    it('is not ready while the key store cannot be reached, and says so', async () => {
      const keys = world?.keys.name ?? '';
      const admin = new pg.Client({ connectionString: postgresAdminUrl ?? '' });
      await admin.connect();
      try {
        await admin.query(`ALTER DATABASE ${keys} WITH ALLOW_CONNECTIONS false`);
        await admin.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1',
          [keys],
        );
        const answer = await eventually(async () => {
          const current = await ready();
          expect(current.status).toBe(503);
          return current;
        }, 20_000);
        expect(answer.detail).toContain('keyStore');
        expect(answer.checks.keyStore?.status).toBe('down');
        expect(answer.checks.store?.status).toBe('up');
      } finally {
        await admin.query(`ALTER DATABASE ${keys} WITH ALLOW_CONNECTIONS true`);
        await admin.end();
      }
      await eventually(async () => {
        expect((await ready()).status).toBe(200);
      }, 20_000);
    });

    it('is not ready within seconds of Kafka going away, names the broker, and answers within its bounds', async () => {
      await kafka?.stop();
      kafka = undefined;
      const answer = await eventually(async () => {
        const current = await ready();
        expect(current.status).toBe(503);
        expect(current.checks.broker?.status).toBe('down');
        return current;
      }, 20_000);
      expect(answer.detail).toContain('broker');
      expect(answer.checks.store?.status).toBe('up');
      expect(answer.checks.keyStore?.status).toBe('up');
      // Each check is bounded (2 s): the probe answers even with the brokers gone.
      expect(answer.ms).toBeLessThan(5_000);
    }, 60_000);
  },
);
