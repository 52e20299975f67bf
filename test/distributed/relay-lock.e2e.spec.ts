import { loadConfig } from '@waypoint/service-kit';
import {
  shelterConfigSchema,
  startDistributedShelter,
} from '@waypoint/shelter-service/distributed';
import type { DistributedParticipant } from '@waypoint/runtime';
import { createTestDatabase, REQUIRE_SERVICES, type TestDatabase } from '@waypoint/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { oneServiceWorld, type OneServiceWorld } from './one-service.js';
import { eventually, quiet } from './support.js';

const { postgresAdminUrl, kafkaBrokers } = inject('services');

if (REQUIRE_SERVICES && (!postgresAdminUrl || !kafkaBrokers))
  throw new Error('WAYPOINT_REQUIRE_SERVICES=1: the relay-lock suite needs PostgreSQL and Kafka');

/**
 * A rebuild runs the service again beside the live one, on the same event store but a fresh
 * read-model database. The relay lock must not live in that database: one relay per service.
 */
describe.skipIf(!postgresAdminUrl || !kafkaBrokers)(
  'the relay of a service rebuilt beside its live instance',
  () => {
    let world: OneServiceWorld | undefined;
    let rebuildDatabase: TestDatabase | undefined;
    const running: DistributedParticipant[] = [];

    beforeAll(async () => {
      if (!postgresAdminUrl || !kafkaBrokers) return;
      world = await oneServiceWorld({ postgresAdminUrl, kafkaBrokers, processes: 2 });
      rebuildDatabase = await createTestDatabase(postgresAdminUrl, 'wp_rebuild');
    });

    afterAll(async () => {
      await Promise.all(running.map((service) => service.close()));
      await rebuildDatabase?.drop();
      await world?.drop();
    }, 60_000);

    it('runs once: the rebuild stands by while the live relay runs, and takes over when it stops', async () => {
      const env = world?.env ?? {};
      const live = await startDistributedShelter(loadConfig(shelterConfigSchema, env), quiet);
      running.push(live);
      await eventually(() => {
        expect(live.relay?.status().active).toBe(true);
        return Promise.resolve();
      }, 20_000);
      const rebuild = await startDistributedShelter(
        loadConfig(shelterConfigSchema, {
          ...env,
          READ_MODEL_DATABASE_URL: rebuildDatabase?.url ?? '',
        }),
        quiet,
      );
      running.push(rebuild);

      // Past two standby polls (2 s each): the rebuild's relay never became active.
      for (let look = 0; look < 5; look += 1) {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        expect(live.relay?.status().active).toBe(true);
        expect(rebuild.relay?.status().active, 'two relays for one service').toBe(false);
      }

      await live.close();
      running.splice(running.indexOf(live), 1);
      await eventually(() => {
        expect(rebuild.relay?.status().active).toBe(true);
        return Promise.resolve();
      }, 20_000);
    }, 90_000);
  },
);
