import pg from 'pg';

/**
 * Connections the suite leaves unreserved: for the files that reserve none (small pools, at most
 * a few connections each, one file per worker) and for psql or a debugger. docs/testing.md.
 */
export const UNRESERVED_CONNECTIONS = 20;

/** The lock class of the reservation slots (session advisory locks on the admin database). */
const SLOT_CLASS = 7399;

export interface ConnectionBudget {
  readonly maxConnections: number;
  readonly superuserReserved: number;
  /** What test files may reserve in all: max_connections - superuser_reserved - unreserved. */
  readonly reservable: number;
}

export async function connectionBudget(adminUrl: string): Promise<ConnectionBudget> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ max: number; reserved: number }>(
      `SELECT current_setting('max_connections')::int AS max,
              current_setting('superuser_reserved_connections')::int AS reserved`,
    );
    const max = rows[0]?.max ?? 100;
    const reserved = rows[0]?.reserved ?? 3;
    return {
      maxConnections: max,
      superuserReserved: reserved,
      reservable: max - reserved - UNRESERVED_CONNECTIONS,
    };
  } finally {
    await client.end();
  }
}

export interface Reservation {
  readonly count: number;
  release(): Promise<void>;
}

/**
 * Reserves `count` of the server's connections for the caller (the reservation's own connection
 * included) before it opens them: a counting semaphore across test processes, one session
 * advisory lock per slot, held by one connection. Waits while other files hold the slots; the
 * whole suite then never asks the server for more than max_connections, however many workers
 * run. A count above the budget fails at once: that test cannot fit on this server.
 */
export async function reserveConnections(
  adminUrl: string,
  count: number,
  options: { readonly timeoutMs?: number } = {},
): Promise<Reservation> {
  const { reservable, maxConnections } = await connectionBudget(adminUrl);
  if (count > reservable)
    throw new Error(
      `a test needs ${String(count)} PostgreSQL connections; max_connections ${String(maxConnections)} leaves ${String(reservable)} to reserve (docs/testing.md)`,
    );
  const client = new pg.Client({ connectionString: adminUrl, application_name: 'wp-test-budget' });
  client.on('error', () => undefined);
  await client.connect();
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  try {
    for (;;) {
      const { rows } = await client.query<{ slot: number }>(
        `SELECT slot FROM generate_series(0, $1 - 1) AS slot
          WHERE pg_try_advisory_lock($2, slot) LIMIT $3`,
        [reservable, SLOT_CLASS, count],
      );
      if (rows.length === count) break;
      await client.query('SELECT pg_advisory_unlock_all()');
      if (Date.now() > deadline)
        throw new Error(`no ${String(count)} PostgreSQL connections came free in time`);
      await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 800));
    }
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return {
    count,
    release: async () => {
      await client.end().catch(() => undefined);
    },
  };
}
