import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { idempotencyStoreContract } from '@waypoint/service-kit/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteIdempotencyStore } from './sqlite-idempotency-store.js';

const folder = mkdtempSync(join(tmpdir(), 'waypoint-idempotency-'));
const opened: SqliteIdempotencyStore[] = [];
let files = 0;
afterAll(() => {
  for (const store of opened) store.close();
  rmSync(folder, { recursive: true, force: true });
});

idempotencyStoreContract('SqliteIdempotencyStore', (options) => {
  files += 1;
  const store = new SqliteIdempotencyStore(
    join(folder, `idempotency-${String(files)}.sqlite`),
    options,
  );
  opened.push(store);
  return Promise.resolve(store);
});

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
