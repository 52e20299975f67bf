import pg from 'pg';

/**
 * Where the services that tests need come from, in order: an env URL, the standard local port or
 * tool, then testcontainers when a Docker engine answers. A missing service is a skip with one
 * printed reason, unless WAYPOINT_REQUIRE_SERVICES=1 (set by .ci/run), which makes it a failure.
 */
export interface PostgresService {
  /** A superuser URL on a maintenance database; tests create their own databases from it. */
  readonly adminUrl: string;
  readonly source: 'env' | 'local' | 'testcontainers';
  stop(): Promise<void>;
}

export const REQUIRE_SERVICES = process.env.WAYPOINT_REQUIRE_SERVICES === '1';

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function dockerAnswers(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

export async function findPostgres(): Promise<PostgresService | { readonly missing: string }> {
  const fromEnv = process.env.WAYPOINT_TEST_PG_URL;
  if (fromEnv) {
    if (await answers(fromEnv))
      return { adminUrl: fromEnv, source: 'env', stop: () => Promise.resolve() };
    return { missing: `WAYPOINT_TEST_PG_URL is set but PostgreSQL does not answer there` };
  }
  const local = 'postgres://postgres@127.0.0.1:5432/postgres';
  if (await answers(local))
    return { adminUrl: local, source: 'local', stop: () => Promise.resolve() };
  if (await dockerAnswers()) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:16-alpine').start();
    return {
      adminUrl: container.getConnectionUri(),
      source: 'testcontainers',
      stop: async () => {
        await container.stop();
      },
    };
  }
  return {
    missing:
      'no PostgreSQL: set WAYPOINT_TEST_PG_URL, run one on 127.0.0.1:5432 (user postgres, trust auth), or start a Docker engine',
  };
}
