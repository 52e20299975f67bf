import { randomBytes } from 'node:crypto';
import { createTestDatabase, type ProvidedServices } from '@waypoint/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { idempotencyStoreContract, resumableClaimContract } from './idempotency-store-contract.js';
import { PostgresIdempotencyStore } from './postgres-idempotency-store.js';

// This package resolves its own copy of vitest (it has the optional OpenTelemetry peer), so the
// testing package's declaration of what the global setup provides is repeated for it here.
declare module 'vitest' {
  export interface ProvidedContext {
    services: ProvidedServices;
  }
}

const { postgresAdminUrl } = inject('services');

describe.skipIf(!postgresAdminUrl)('PostgresIdempotencyStore', () => {
  let database: { url: string; drop(): Promise<void> };
  const pools: pg.Pool[] = [];
  function pool(): pg.Pool {
    // Small pools: the whole suite shares the server's connections (docs/testing.md).
    const opened = new pg.Pool({ connectionString: database.url, max: 2 });
    // The database is dropped WITH (FORCE) at the end: a connection still closing is terminated
    // by the server, which must not surface as an unhandled error.
    opened.on('error', () => undefined);
    pools.push(opened);
    return opened;
  }

  beforeAll(async () => {
    database = await createTestDatabase(postgresAdminUrl ?? '');
  });
  afterAll(async () => {
    await Promise.all(pools.map((opened) => opened.end()));
    await database.drop();
  });

  // One pool for every store the contracts open: a pool per store would hold a connection each.
  let shared: pg.Pool | undefined;
  const sharedPool = (): pg.Pool => (shared ??= pool());
  idempotencyStoreContract('PostgresIdempotencyStore', (options) =>
    PostgresIdempotencyStore.open(sharedPool(), options),
  );
  resumableClaimContract('PostgresIdempotencyStore', (options) =>
    PostgresIdempotencyStore.open(sharedPool(), options),
  );

  it('creates its table once when several instances open at the same time', async () => {
    const sql = pool();
    const table = `wp_idem_${randomBytes(4).toString('hex')}`;
    await Promise.all(
      Array.from({ length: 6 }, () => PostgresIdempotencyStore.open(pool(), { table })),
    );
    const { rows } = await sql.query(
      'SELECT count(*)::int AS tables FROM pg_tables WHERE tablename = $1',
      [table],
    );
    expect(rows).toEqual([{ tables: 1 }]);
  });

  it('lets only one of two instances run a request', async () => {
    const first = await PostgresIdempotencyStore.open(pool());
    const second = await PostgresIdempotencyStore.open(pool());
    const scope = 'user-1 POST /journeys/:journeyId/admissions';
    const key = randomBytes(8).toString('hex');
    const claims = await Promise.all([
      ...Array.from({ length: 5 }, () => first.claim(scope, key, 'hash-a')),
      ...Array.from({ length: 5 }, () => second.claim(scope, key, 'hash-a')),
    ]);
    expect(claims.filter((claim) => claim.outcome === 'claimed')).toHaveLength(1);
  });

  it('refuses a table name that is not a plain identifier', async () => {
    await expect(
      PostgresIdempotencyStore.open(pool(), { table: 'keys; DROP TABLE x' }),
    ).rejects.toThrow(/plain table name/);
  });
});
