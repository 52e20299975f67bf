import { loadConfig } from '@waypoint/service-kit';
import {
  shelterConfigSchema,
  startDistributedShelter,
} from '@waypoint/shelter-service/distributed';
import { processConnections, type DistributedParticipant } from '@waypoint/runtime';
import { REQUIRE_SERVICES } from '@waypoint/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { oneServiceWorld, type OneServiceWorld } from './one-service.js';
import { quiet } from './support.js';

const { postgresAdminUrl, kafkaBrokers } = inject('services');

if (REQUIRE_SERVICES && (!postgresAdminUrl || !kafkaBrokers))
  throw new Error('WAYPOINT_REQUIRE_SERVICES=1: the connections suite needs PostgreSQL and Kafka');

/**
 * What docs/testing.md counts on: a service holds no more connections than `processConnections`
 * says for its DATABASE_POOL_SIZE, however many requests it serves at once.
 */
describe.skipIf(!postgresAdminUrl || !kafkaBrokers)(
  'the PostgreSQL connections of a distributed service under load',
  () => {
    let world: OneServiceWorld | undefined;
    let shelter: DistributedParticipant | undefined;
    let address = '';

    beforeAll(async () => {
      if (!postgresAdminUrl || !kafkaBrokers) return;
      world = await oneServiceWorld({ postgresAdminUrl, kafkaBrokers });
      shelter = await startDistributedShelter(loadConfig(shelterConfigSchema, world.env), quiet);
      address = await shelter.app.listen({ host: '127.0.0.1', port: 0 });
    }, 600_000);

    afterAll(async () => {
      await shelter?.close();
      await world?.drop();
    }, 60_000);

    it('stays within processConnections(DATABASE_POOL_SIZE) with a hundred requests in flight', async () => {
      const databases = [world?.service.name ?? '', world?.keys.name ?? ''];
      const admin = new pg.Client({ connectionString: postgresAdminUrl ?? '' });
      await admin.connect();
      let most = 0;
      const sampling = { on: true };
      const sampler = (async () => {
        while (sampling.on) {
          const { rows } = await admin.query<{ open: number }>(
            'SELECT count(*)::int AS open FROM pg_stat_activity WHERE datname = ANY($1)',
            [databases],
          );
          most = Math.max(most, rows[0]?.open ?? 0);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();
      try {
        const store = shelter?.store;
        for (let round = 0; round < 5; round += 1) {
          await Promise.all([
            ...Array.from({ length: 50 }, () => fetch(`${address}/ready`).then((r) => r.text())),
            ...Array.from({ length: 50 }, (_, i) =>
              store?.streamRevision(`shelter-load-${String(i)}`),
            ),
          ]);
        }
      } finally {
        sampling.on = false;
        await sampler;
        await admin.end();
      }
      const bound = processConnections(2, { kafka: true, projections: 'own-store' });
      expect(most).toBeGreaterThan(0);
      expect(most, `at most ${String(bound)} connections`).toBeLessThanOrEqual(bound);
    });
  },
);
