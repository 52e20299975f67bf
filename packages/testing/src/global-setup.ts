import type { TestProject } from 'vitest/node';
import { findKafka } from './kafka.js';
import './provided.js';
import { REQUIRE_SERVICES, findPostgres } from './services.js';

/**
 * Finds the services once per run and hands them to the test files. Prints one line for each
 * service that is missing; under WAYPOINT_REQUIRE_SERVICES=1 a missing service fails the run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [postgres, kafka] = await Promise.all([findPostgres(), findKafka()]);
  const stopAll = async (): Promise<void> => {
    await Promise.all([
      'missing' in postgres ? undefined : postgres.stop(),
      'missing' in kafka ? undefined : kafka.stop(),
    ]);
  };
  for (const [name, found] of [
    ['PostgreSQL', postgres],
    ['Kafka', kafka],
  ] as const) {
    if (!('missing' in found)) continue;
    if (REQUIRE_SERVICES) {
      await stopAll();
      throw new Error(`WAYPOINT_REQUIRE_SERVICES=1 but ${found.missing}`);
    }
    process.stdout.write(`[waypoint] skipping ${name} tests: ${found.missing}\n`);
  }
  project.provide('services', {
    postgresAdminUrl: 'missing' in postgres ? null : postgres.adminUrl,
    kafkaBrokers: 'missing' in kafka ? null : [...kafka.brokers],
  });
  return stopAll;
}
