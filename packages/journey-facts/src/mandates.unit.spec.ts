import { grantFamily } from '@waypoint/contracts';
import { MemoryEventStore } from '@waypoint/eventstore/memory';
import { randomUUID } from 'node:crypto';
import { newEventId } from '@waypoint/eventstore';
import { describe, expect, it } from 'vitest';
import { grantStream, mandateOrgIds } from './mandates.js';

const ORG = '0193c000-0000-7000-8000-0000000000a1';

async function granted(
  store: MemoryEventStore,
  userId: string,
  from: string,
  until: string,
): Promise<string> {
  const mandateId = randomUUID();
  const event = grantFamily.encode({
    type: 'AuditorMandateGranted',
    data: { mandateId, auditorUserId: userId, orgIds: [ORG], from, until, grantedBy: 'dpo' },
  });
  await store.append(grantStream(userId), [
    {
      id: newEventId(),
      ...event,
      metadata: {
        occurredAt: new Date().toISOString(),
        actor: { userId: 'dpo', role: 'data_protection_officer', orgId: ORG },
        correlationId: 'spec',
        causationId: 'spec',
      },
    },
  ]);
  return mandateId;
}

describe('auditor mandates', () => {
  it('names a user grant stream by a digest of the user id, the same for every reader', () => {
    expect(grantStream('auditor 1/é')).toMatch(/^grant-[A-Za-z0-9_-]{32}$/);
    expect(grantStream('auditor 1/é')).toBe(grantStream('auditor 1/é'));
    expect(grantStream('auditor 2')).not.toBe(grantStream('auditor 1/é'));
  });

  it('covers an organisation from its start until (not including) its end', async () => {
    const store = new MemoryEventStore();
    await granted(store, 'a', '2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z');
    expect(await mandateOrgIds(store, 'a', new Date('2026-02-28T23:59:59.999Z'))).toEqual(
      new Set(),
    );
    expect(await mandateOrgIds(store, 'a', new Date('2026-03-01T00:00:00.000Z'))).toEqual(
      new Set([ORG]),
    );
    expect(await mandateOrgIds(store, 'a', new Date('2026-04-01T00:00:00.000Z'))).toEqual(
      new Set(),
    );
  });

  it('compares bounds as instants, whatever precision they were written with', async () => {
    // As text, "2026-03-01T10:00:00Z" sorts after "2026-03-01T10:00:00.500Z" ('Z' > '.'), though
    // the mandate began half a second before.
    const store = new MemoryEventStore();
    await granted(store, 'b', '2026-03-01T10:00:00Z', '2026-03-01T12:00:00Z');
    expect(await mandateOrgIds(store, 'b', new Date('2026-03-01T10:00:00.500Z'))).toEqual(
      new Set([ORG]),
    );
    expect(await mandateOrgIds(store, 'b', new Date('2026-03-01T12:00:00.500Z'))).toEqual(
      new Set(),
    );
  });
});
