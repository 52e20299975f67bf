import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { idempotencyStoreContract, resumableClaimContract } from './idempotency-store-contract.js';
import type { IdempotencyStoreOptions } from './idempotency-store.js';
import { SqliteIdempotencyStore } from './sqlite-idempotency-store.js';

const folder = mkdtempSync(join(tmpdir(), 'waypoint-idempotency-'));
const opened: SqliteIdempotencyStore[] = [];
let files = 0;
afterAll(() => {
  for (const store of opened) store.close();
  rmSync(folder, { recursive: true, force: true });
});

const open = (options?: IdempotencyStoreOptions): Promise<SqliteIdempotencyStore> => {
  files += 1;
  const store = new SqliteIdempotencyStore(
    join(folder, `idempotency-${String(files)}.sqlite`),
    options,
  );
  opened.push(store);
  return Promise.resolve(store);
};

idempotencyStoreContract('SqliteIdempotencyStore', open);
resumableClaimContract('SqliteIdempotencyStore', open);

describe('SqliteIdempotencyStore across a restart', () => {
  it('replays the first answer after the process reopened the file', async () => {
    const file = join(folder, 'restart.sqlite');
    const before = new SqliteIdempotencyStore(file);
    const claim = await before.claim('user-1 POST /x', 'key-1', 'hash-1');
    if (claim.outcome !== 'claimed') throw new Error('not claimed');
    await before.complete('user-1 POST /x', 'key-1', claim.token, {
      status: 201,
      headers: { etag: '"0"' },
      body: { ok: true },
    });
    before.close();
    const after = new SqliteIdempotencyStore(file);
    opened.push(after);
    expect(await after.claim('user-1 POST /x', 'key-1', 'hash-1')).toEqual({
      outcome: 'completed',
      requestHash: 'hash-1',
      response: { status: 201, headers: { etag: '"0"' }, body: { ok: true } },
    });
  });
});

describe('SqliteIdempotencyStore on a file made before requests could resume', () => {
  /** The table as the first version made it: no `started_at`. */
  const oldFile = (name: string, rows: (string | number | null)[][]): string => {
    const file = join(folder, name);
    const db = new Database(file);
    db.exec(`CREATE TABLE idempotency (
      scope TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL, token TEXT,
      response TEXT, claimed_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
      PRIMARY KEY (scope, key)) STRICT`);
    const insert = db.prepare('INSERT INTO idempotency VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const row of rows) insert.run(...row);
    db.close();
    return file;
  };

  it('keeps its answers and resumes its abandoned claims from when they were claimed', async () => {
    const now = Date.now();
    const answer = { status: 201, headers: {}, body: { journeyId: 'j-1' } };
    const file = oldFile('old.sqlite', [
      [
        'user-1 POST /x',
        'answered',
        'hash-1',
        null,
        JSON.stringify(answer),
        now - 5_000,
        now + 60_000,
      ],
      ['user-1 POST /x', 'abandoned', 'hash-2', 'dead-runner', null, now - 120_000, now + 60_000],
    ]);
    const store = new SqliteIdempotencyStore(file);
    opened.push(store);
    expect(await store.claim('user-1 POST /x', 'answered', 'hash-1')).toEqual({
      outcome: 'completed',
      requestHash: 'hash-1',
      response: answer,
    });
    expect(await store.claim('user-1 POST /x', 'abandoned', 'hash-2')).toMatchObject({
      outcome: 'claimed',
      startedAt: now - 120_000,
      resumed: true,
    });
  });

  it('opens again after the column was added', async () => {
    const file = oldFile('reopened.sqlite', []);
    new SqliteIdempotencyStore(file).close();
    const store = new SqliteIdempotencyStore(file);
    opened.push(store);
    expect(await store.claim('user-1 POST /x', 'key-1', 'hash-1')).toMatchObject({
      outcome: 'claimed',
      resumed: false,
    });
  });
});

describe('SqliteIdempotencyStore and a request whose runner died', () => {
  it('is in progress for the same request until the claim timeout, then resumed with its first start', async () => {
    let now = 1_000_000;
    const store = new SqliteIdempotencyStore(
      join(folder, 'timeout.sqlite'),
      { claimTimeoutMs: 60_000 },
      () => now,
    );
    opened.push(store);
    await store.claim('user-1 POST /x', 'key-1', 'hash-1');
    now += 59_999;
    expect((await store.claim('user-1 POST /x', 'key-1', 'hash-1')).outcome).toBe('in_progress');
    now += 1;
    expect(await store.claim('user-1 POST /x', 'key-1', 'hash-1')).toMatchObject({
      outcome: 'claimed',
      startedAt: 1_000_000,
      resumed: true,
    });
    // Taken over again later, it still starts when the request was first claimed.
    now += 60_000;
    expect(await store.claim('user-1 POST /x', 'key-1', 'hash-1')).toMatchObject({
      startedAt: 1_000_000,
      resumed: true,
    });
  });

  it('starts afresh once the record expired, even for the same request', async () => {
    let now = 1_000_000;
    const store = new SqliteIdempotencyStore(
      join(folder, 'expired.sqlite'),
      { retentionMs: 10_000, claimTimeoutMs: 1_000 },
      () => now,
    );
    opened.push(store);
    await store.claim('user-1 POST /x', 'key-1', 'hash-1');
    now += 10_000;
    expect(await store.claim('user-1 POST /x', 'key-1', 'hash-1')).toMatchObject({
      outcome: 'claimed',
      startedAt: 1_010_000,
      resumed: false,
    });
  });
});
