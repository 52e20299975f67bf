import { createTestDatabase, type TestDatabase } from '@waypoint/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { oldestOpenTransaction } from './oldest-transaction.js';

const { postgresAdminUrl } = inject('services');

const HELD_MS = 300;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/*
 * The probe is cluster-wide and other suites share the server, so these specs assert lower
 * bounds only: the oldest transaction is at least as old as the one a spec holds open. They hold
 * one for 300 ms, which holds back other suites' readers no longer than a slow append would.
 */
describe.skipIf(!postgresAdminUrl)('the oldest open transaction of the cluster', () => {
  let database: TestDatabase;
  let probe: pg.Pool;

  beforeAll(async () => {
    database = await createTestDatabase(postgresAdminUrl ?? '');
    probe = new pg.Pool({ connectionString: database.url, max: 1 });
    probe.on('error', () => undefined);
  });
  afterAll(async () => {
    await probe.end();
    await database.drop();
  });

  async function holdingATransaction<T>(
    work: (client: pg.Client) => Promise<void>,
    then: () => Promise<T>,
  ): Promise<T> {
    const session = new pg.Client({ connectionString: database.url });
    session.on('error', () => undefined);
    await session.connect();
    try {
      await session.query('BEGIN');
      await work(session);
      await sleep(HELD_MS);
      return await then();
    } finally {
      await session.query('ROLLBACK').catch(() => undefined);
      await session.end();
    }
  }

  it('is at least as old as a transaction left open in another session', async () => {
    const oldest = await holdingATransaction(
      async (client) => {
        await client.query('SELECT 1');
      },
      () => oldestOpenTransaction(probe),
    );
    expect(oldest.seconds).toBeGreaterThanOrEqual(HELD_MS / 1000);
  });

  it('counts among the writing ones a transaction that took a transaction id', async () => {
    const oldest = await holdingATransaction(
      async (client) => {
        await client.query('SELECT pg_current_xact_id()');
      },
      () => oldestOpenTransaction(probe),
    );
    expect(oldest.writingSeconds).toBeGreaterThanOrEqual(HELD_MS / 1000);
    expect(oldest.seconds).toBeGreaterThanOrEqual(oldest.writingSeconds);
  });
});
