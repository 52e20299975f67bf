import { randomUUID } from 'node:crypto';
import { http } from '@waypoint/service-kit/testing';
import { v7 } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import type { ErasureView } from './erasure-view.js';
import { ORG, erasureWorld, type ErasureWorld } from './testing/erasure-world.js';

const DAY_MS = 86_400_000;
const today = new Date('2026-05-01T10:00:00.000Z');

async function closeJourney(world: ErasureWorld, journeyId: string, at: Date): Promise<string> {
  const id = v7();
  await world.store.append(`reintegration-${journeyId}`, [
    {
      id,
      type: 'JourneyClosed',
      schemaVersion: 1,
      data: { reason: 'reintegrated', reasonCodes: [] },
      metadata: {
        occurredAt: at.toISOString(),
        actor: { userId: 'ro-1', role: 'reintegration_officer', orgId: ORG },
        correlationId: 'c',
        causationId: 'c',
      },
    },
  ]);
  return id;
}

describe('retention', () => {
  let world: ErasureWorld;
  afterEach(async () => {
    await world.close();
  });

  it('erases only the category past its period, for persons whose journeys all closed and no hold covers it', async () => {
    let now = today;
    world = await erasureWorld({
      now: () => now,
      retention: [
        { category: 'health', days: 730 },
        { category: 'notes', days: 3_650 },
      ],
    });
    const closedLongAgo = await world.seedPerson(`Canary${randomUUID().slice(0, 8)}`);
    const held = await world.seedPerson(`Canary${randomUUID().slice(0, 8)}`);
    const closedRecently = await world.seedPerson(`Canary${randomUUID().slice(0, 8)}`);
    const stillOpen = await world.seedPerson(`Canary${randomUUID().slice(0, 8)}`);
    const threeYearsAgo = new Date(today.getTime() - 3 * 365 * DAY_MS);
    await closeJourney(world, closedLongAgo.journeyId, threeYearsAgo);
    await closeJourney(world, held.journeyId, threeYearsAgo);
    await closeJourney(world, closedRecently.journeyId, new Date(today.getTime() - 100 * DAY_MS));
    await http(world.app)
      .post(`/persons/${held.personId}/legal-holds`, {
        basis: 'legal_claims',
        categories: ['health'],
      })
      .as(await world.token(['data_protection_officer']))
      .expect(201);

    const first = await world.runtime.duties.run();
    expect(first.retentionRequests).toBe(1);
    expect(first.confirmed).toBe(8);
    const ledger = await world.runtime.ledger.current();
    expect([...ledger.requestsByPerson.keys()]).toEqual([closedLongAgo.personId]);
    const [requestId] = ledger.requestsByPerson.get(closedLongAgo.personId) ?? [];
    const view = (
      await http(world.app)
        .get(`/erasure-requests/${requestId ?? ''}`)
        .as(await world.token(['auditor']))
        .expect(200)
    ).body as ErasureView;
    expect(view).toMatchObject({
      status: 'completed',
      origin: 'retention',
      reasonCode: 'retention_expired',
      scope: 'categories',
      categories: ['health'],
    });
    expect(view.history[0]?.actor).toEqual({ userId: 'system:retention', role: 'admin' });
    expect(await world.keys.findKey(closedLongAgo.personId, 'health')).toBe('destroyed');
    expect(await world.keys.findKey(closedLongAgo.personId, 'identity')).not.toBe('destroyed');

    // Asked once: the next run finds nothing new, until the notes' period runs out too.
    expect((await world.runtime.duties.run()).retentionRequests).toBe(0);
    now = new Date(threeYearsAgo.getTime() + 3_651 * DAY_MS);
    // Ten years on: notes for all three closed persons, health for the one closed recently.
    expect((await world.runtime.duties.run()).retentionRequests).toBe(3);
    expect(await world.keys.findKey(closedLongAgo.personId, 'notes')).toBe('destroyed');
    expect(await world.keys.findKey(held.personId, 'notes')).toBe('destroyed');
    expect(await world.keys.findKey(held.personId, 'health')).not.toBe('destroyed');
    expect(await world.keys.findKey(closedRecently.personId, 'health')).toBe('destroyed');
    expect(await world.keys.findKey(stillOpen.personId, 'notes')).not.toBe('destroyed');
  });

  it('does not count a closure that was retracted', async () => {
    world = await erasureWorld({
      now: () => today,
      retention: [{ category: 'health', days: 30 }],
    });
    const person = await world.seedPerson(`Canary${randomUUID().slice(0, 8)}`);
    const closure = await closeJourney(
      world,
      person.journeyId,
      new Date(today.getTime() - 60 * DAY_MS),
    );
    await world.store.append(`reintegration-${person.journeyId}`, [
      {
        id: v7(),
        type: 'EventRetracted',
        schemaVersion: 1,
        data: { retractedEventId: closure, reasonCode: 'recorded-in-error' },
        metadata: {
          occurredAt: today.toISOString(),
          actor: { userId: 'ro-1', role: 'reintegration_officer', orgId: ORG },
          correlationId: 'c',
          causationId: 'c',
        },
      },
    ]);
    expect((await world.runtime.duties.run()).retentionRequests).toBe(0);
  });
});
