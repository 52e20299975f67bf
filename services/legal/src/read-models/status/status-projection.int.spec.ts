import { legalFamily } from '@waypoint/contracts';
import type { EventStore } from '@waypoint/eventstore';
import { collect } from '@waypoint/eventstore/contract';
import { MemoryEventStore } from '@waypoint/eventstore/memory';
import { createPgliteDatabase, replay, type SqlDatabase } from '@waypoint/projections';
import { v7 } from 'uuid';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { legalStatusProjection } from './status-projection.js';

const ORG = '0193c000-0000-7000-8000-000000000002';
const sealed = {
  $enc: 'aes-256-gcm/v1',
  subject: 'person',
  category: 'legal',
  path: 'reference',
  iv: 'AAAAAAAAAAAAAAAA',
  ct: 'AA',
  tag: 'AAAAAAAAAAAAAAAAAAAAAA',
};
const immigration = { type: 'ImmigrationAuthority', name: 'Immigration Service' };

describe('the legal status read model', () => {
  let db: SqlDatabase;
  let store: EventStore;
  beforeAll(async () => {
    db = await createPgliteDatabase();
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(() => {
    store = new MemoryEventStore();
  });

  async function record(
    journeyId: string,
    events: readonly { type: string; data: Record<string, unknown> }[],
  ): Promise<string[]> {
    const ids = events.map(() => v7());
    await store.append(
      `legal-${journeyId}`,
      events.map((event, index) => ({
        id: ids[index] ?? v7(),
        ...legalFamily.encode({ type: event.type, data: event.data } as Parameters<
          typeof legalFamily.encode
        >[0]),
        metadata: {
          occurredAt: '2025-02-01T00:00:00.000Z',
          actor: { userId: 'spec', role: 'legal_advisor', orgId: ORG },
          correlationId: 'spec',
          causationId: 'spec',
        },
      })),
    );
    return ids;
  }

  const fact = (occurredOn: string) => ({ actingBody: immigration, occurredOn, reference: sealed });
  const granted = (periodId: string, start: string, end: string) => ({
    type: 'RecoveryReflectionPeriodGranted',
    data: { ...fact(start), periodId, start, end, notes: sealed },
  });

  /** One journey with a 30-day period, an order, a detention and a permit; one with a period ended early. */
  async function twoJourneys() {
    const [first, second] = [v7(), v7()].sort();
    const [p1, p2, order, detention] = [v7(), v7(), v7(), v7()];
    const firstIds = await record(first ?? '', [
      granted(p1, '2025-01-10', '2025-02-09'),
      {
        type: 'RemovalOrderIssued',
        data: { ...fact('2025-01-12'), orderId: order, kind: 'return' },
      },
      {
        type: 'DetentionStarted',
        data: { ...fact('2025-01-13'), detentionId: detention, kind: 'immigration', place: sealed },
      },
      { type: 'DetentionEnded', data: { ...fact('2025-01-15'), detentionId: detention } },
      {
        type: 'ResidencePermitDecided',
        data: {
          ...fact('2025-01-20'),
          grounds: ['personal_situation'],
          outcome: 'granted',
          validUntil: '2026-01-20',
        },
      },
    ]);
    const secondIds = await record(second ?? '', [
      granted(p2, '2025-01-05', '2025-01-25'),
      {
        type: 'RecoveryReflectionPeriodEnded',
        data: { ...fact('2025-01-08'), periodId: p2, reason: 'public_order' },
      },
    ]);
    return { first: first ?? '', second: second ?? '', p1, p2, firstIds, secondIds };
  }

  async function rows(schema: string) {
    const { rows: status } = await db.query(
      `SELECT journey_id, period_id, period_start::text, period_end::text, period_days,
              period_ended_on::text, period_end_reason, pending_removal_orders, open_detentions,
              residence_permit, residence_permit_valid_until::text
         FROM ${schema}.status ORDER BY journey_id`,
    );
    return status;
  }

  async function projected() {
    const events = await collect(store.readAll());
    const whole = await rows(await replay(db, legalStatusProjection(), events));
    expect(await rows(await replay(db, legalStatusProjection(), events, 1))).toEqual(whole);
    return whole;
  }

  it('keeps the period that counts, orders not enforced, open detentions and the permit, per journey', async () => {
    const { first, second, p1, p2 } = await twoJourneys();
    expect(await projected()).toEqual([
      {
        journey_id: first,
        period_id: p1,
        period_start: '2025-01-10',
        period_end: '2025-02-09',
        period_days: 30,
        period_ended_on: null,
        period_end_reason: null,
        pending_removal_orders: 1,
        open_detentions: 0,
        residence_permit: 'granted',
        residence_permit_valid_until: '2026-01-20',
      },
      {
        journey_id: second,
        period_id: p2,
        period_start: '2025-01-05',
        period_end: '2025-01-25',
        period_days: 20,
        period_ended_on: '2025-01-08',
        period_end_reason: 'public_order',
        pending_removal_orders: 0,
        open_detentions: 0,
        residence_permit: null,
        residence_permit_valid_until: null,
      },
    ]);
  });

  it('follows amendments and retractions', async () => {
    const { first, second, p1, firstIds, secondIds } = await twoJourneys();
    await record(first, [
      {
        type: 'EventAmended',
        data: {
          amendedEventId: firstIds[0],
          reasonCode: 'data-entry-error',
          replacement: granted(p1, '2025-01-10', '2025-03-11').data,
        },
      },
      {
        type: 'EventRetracted',
        data: { retractedEventId: firstIds[1], reasonCode: 'wrong-journey' },
      },
    ]);
    await record(second, [
      {
        type: 'EventRetracted',
        data: { retractedEventId: secondIds[1], reasonCode: 'recorded-in-error' },
      },
    ]);
    const [one, two] = await projected();
    expect(one).toMatchObject({
      period_end: '2025-03-11',
      period_days: 60,
      pending_removal_orders: 0,
    });
    expect(two).toMatchObject({ period_ended_on: null, period_end_reason: null });
  });

  it('keeps no personal value', async () => {
    await twoJourneys();
    const schema = await replay(db, legalStatusProjection(), await collect(store.readAll()));
    const { rows: kept } = await db.query(
      `SELECT (SELECT json_agg(data) FROM ${schema}.facts) AS facts,
              (SELECT json_agg(state) FROM ${schema}.states) AS states`,
    );
    expect(JSON.stringify(kept)).not.toContain('aes-256-gcm');
    expect(JSON.stringify(kept)).not.toContain('Immigration Service');
  });
});
