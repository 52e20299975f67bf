import type { TestProject } from 'vitest/node';
import './provided.js';
import { REQUIRE_SERVICES, findPostgres } from './services.js';

/**
 * Finds the services once per run and hands them to the test files. Prints one line for each
 * service that is missing; under WAYPOINT_REQUIRE_SERVICES=1 a missing service fails the run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const postgres = await findPostgres();
  if ('missing' in postgres) {
    if (REQUIRE_SERVICES) throw new Error(`WAYPOINT_REQUIRE_SERVICES=1 but ${postgres.missing}`);
    process.stdout.write(`[waypoint] skipping PostgreSQL tests: ${postgres.missing}\n`);
  }
  project.provide('services', {
    postgresAdminUrl: 'missing' in postgres ? null : postgres.adminUrl,
  });
  return async () => {
    if (!('missing' in postgres)) await postgres.stop();
  };
}
