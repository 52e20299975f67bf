import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore, NewEvent } from '@waypoint/eventstore';
import { MemoryEventStore } from '@waypoint/eventstore/memory';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DigestLog,
  digestKeysFromPem,
  publishDigest,
  verifyAgainstLatestDigest,
  type DigestKeys,
} from './digests.js';
import { verifyJourney } from './journey-integrity.js';

const keysOf = (): DigestKeys => {
  const { privateKey } = generateKeyPairSync('ed25519');
  return digestKeysFromPem(
    'digest-1',
    privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  );
};

const event = (n: number, data: Record<string, string> = {}): NewEvent => ({
  id: `0197bbbb-0000-7000-8000-${n.toString(16).padStart(12, '0')}`,
  type: 'Noted',
  schemaVersion: 1,
  data: { n: String(n), ...data },
  metadata: {
    occurredAt: '2025-01-01T00:00:00.000Z',
    actor: { userId: 'u', role: 'caseworker', orgId: 'o' },
    correlationId: 'c',
    causationId: 'c',
  },
});

const J = '0197cccc-0000-7000-8000-000000000001';

/** The same history in a fresh store, with one change: how an attacker with database access rewrites it. */
async function rewritten(
  change: 'truncate' | 'delete' | 'recompute' | 'none',
): Promise<EventStore> {
  // A fixed clock: the same history recorded again hashes the same, so only the change shows.
  const store = new MemoryEventStore({ now: () => new Date('2025-01-01T12:00:00.000Z') });
  const legal = [event(1), event(2), event(3)];
  if (change === 'recompute') legal[2] = event(3, { edited: 'yes' });
  await store.append(`legal-${J}`, change === 'truncate' ? legal.slice(0, 2) : legal);
  if (change !== 'delete') await store.append(`care-${J}`, [event(10)]);
  return store;
}

describe('signed digests of every stream head', () => {
  let dir: string;
  let log: DigestLog;
  let keys: DigestKeys;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wp-digests-'));
    log = new DigestLog(join(dir, 'digests.jsonl'));
    keys = keysOf();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a store verified against its own digest is ok, and a later digest continues from the last', async () => {
    const store = await rewritten('none');
    const first = await publishDigest(store, log, keys, new Date('2025-01-02T00:00:00Z'));
    expect(first.heads.map((head) => [head.stream, head.revision])).toEqual([
      [`legal-${J}`, 2],
      [`care-${J}`, 0],
    ]);
    await store.append(`care-${J}`, [event(11)]);
    const second = await publishDigest(store, log, keys, new Date('2025-01-03T00:00:00Z'));
    expect(second.heads.find((head) => head.stream === `care-${J}`)?.revision).toBe(1);
    expect(await verifyAgainstLatestDigest(store, log, keys.publicKey)).toMatchObject({
      status: 'ok',
      streamsChecked: 2,
      problems: [],
    });
  });

  it.each([
    ['truncate', { kind: 'truncated', stream: `legal-${J}`, revision: 2, actualRevision: 1 }],
    ['delete', { kind: 'deleted', stream: `care-${J}`, revision: 0 }],
    ['recompute', { kind: 'recomputed', stream: `legal-${J}`, revision: 2 }],
  ] as const)('names a %sd stream', async (change, problem) => {
    await publishDigest(await rewritten('none'), log, keys, new Date('2025-01-02T00:00:00Z'));
    const verification = await verifyAgainstLatestDigest(
      await rewritten(change),
      log,
      keys.publicKey,
    );
    expect(verification).toMatchObject({ status: 'altered' });
    expect(verification.status === 'altered' && verification.problems).toEqual([problem]);
  });

  it('a digest signed by another key is refused', async () => {
    const store = await rewritten('none');
    await publishDigest(store, log, keys, new Date('2025-01-02T00:00:00Z'));
    expect(await verifyAgainstLatestDigest(store, log, keysOf().publicKey)).toEqual({
      status: 'bad_signature',
      createdAt: '2025-01-02T00:00:00.000Z',
    });
  });

  it('without a digest there is nothing to compare with', async () => {
    expect(await verifyAgainstLatestDigest(await rewritten('none'), log, keys.publicKey)).toEqual({
      status: 'no_digest',
    });
  });

  it("a journey's hash chains verify stream by stream", async () => {
    const result = await verifyJourney(await rewritten('none'), J);
    expect(result.ok).toBe(true);
    expect(result.streams.map((stream) => stream.stream).sort()).toEqual([
      `care-${J}`,
      `legal-${J}`,
    ]);
  });
});
