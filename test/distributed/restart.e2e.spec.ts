import { REQUIRE_SERVICES } from '@waypoint/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  oneServiceWorld,
  startServiceProcess,
  timeUntil,
  type OneServiceWorld,
  type ServiceProcess,
} from './one-service.js';

const { postgresAdminUrl, kafkaBrokers } = inject('services');

if (REQUIRE_SERVICES && (!postgresAdminUrl || !kafkaBrokers))
  throw new Error('WAYPOINT_REQUIRE_SERVICES=1: the restart suite needs PostgreSQL and Kafka');

const MAIN = 'services/journey/src/main.ts';
/** The default session timeout: what a restarted member waits for before its group rebalances. */
const SESSION_TIMEOUT_MS = 30_000;

interface Start {
  readonly process: ServiceProcess;
  readonly address: string;
  /** From spawning the process to its first `/health` 200. */
  readonly healthMs: number;
  /** From spawning to `/ready` 200: its read-model consumers are back in their group. */
  readonly readyMs: number;
}

async function start(env: Record<string, string>): Promise<Start> {
  const spawned = performance.now();
  const process = startServiceProcess(MAIN, env);
  const address = await process.address;
  await timeUntil(`${address}/health`, (status) => status === 200, 60_000);
  const healthMs = performance.now() - spawned;
  await timeUntil(`${address}/ready`, (status) => status === 200, SESSION_TIMEOUT_MS * 3);
  return { process, address, healthMs, readyMs: performance.now() - spawned };
}

/**
 * The journey service as a deployment runs it (its main.ts in a process of its own, on
 * PostgreSQL and the kcat mock brokers), killed and started again. docs/operations.md quotes
 * the times this prints.
 */
describe.skipIf(!postgresAdminUrl || !kafkaBrokers)(
  'a read service restarted after SIGKILL and after SIGTERM',
  () => {
    let world: OneServiceWorld | undefined;
    const running: ServiceProcess[] = [];

    beforeAll(async () => {
      if (!postgresAdminUrl || !kafkaBrokers) return;
      world = await oneServiceWorld({
        postgresAdminUrl,
        kafkaBrokers,
        env: { KAFKA_SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS) },
        // A killed process's connections may linger a moment beside the next one's.
        processes: 2,
      });
    });

    afterAll(async () => {
      for (const { child } of running) child.kill('SIGKILL');
      await Promise.all(running.map((process) => process.exited));
      await world?.drop();
    }, 60_000);

    it('answers /health at once after SIGKILL, before its consumers are back in their group, and leaves cleanly on SIGTERM', async () => {
      const env = world?.env ?? {};
      const first = await start(env);
      running.push(first.process);

      first.process.child.kill('SIGKILL');
      await first.process.exited;
      const afterKill = await start(env);
      running.push(afterKill.process);
      // Health does not wait for the dead member's session to expire; readiness does.
      expect(afterKill.healthMs).toBeLessThan(SESSION_TIMEOUT_MS / 2);

      const stopping = performance.now();
      afterKill.process.child.kill('SIGTERM');
      expect(await afterKill.process.exited).toBe('0');
      const stopMs = performance.now() - stopping;
      expect(afterKill.process.output()).toContain('"msg":"stopped"');
      const afterTerm = await start(env);
      running.push(afterTerm.process);
      expect(afterTerm.healthMs).toBeLessThan(SESSION_TIMEOUT_MS / 2);

      const seconds = (ms: number): string => (ms / 1000).toFixed(1);
      process.stdout.write(
        [
          `[restart] first start: health ${seconds(first.healthMs)} s, ready ${seconds(first.readyMs)} s`,
          `[restart] after SIGKILL: health ${seconds(afterKill.healthMs)} s, ready ${seconds(afterKill.readyMs)} s`,
          `[restart] SIGTERM: stopped in ${seconds(stopMs)} s`,
          `[restart] after SIGTERM: health ${seconds(afterTerm.healthMs)} s, ready ${seconds(afterTerm.readyMs)} s`,
          '',
        ].join('\n'),
      );
    }, 300_000);
  },
);
