import { reintegrationFamily } from '@waypoint/contracts';
import type { EventStore } from '@waypoint/eventstore';
import { collect } from '@waypoint/eventstore/contract';
import { MemoryEventStore } from '@waypoint/eventstore/memory';
import { createPgliteDatabase, replay, type SqlDatabase } from '@waypoint/projections';
import { v7 } from 'uuid';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { reintegrationReviewsProjection } from './reviews-projection.js';

const ORG = '0193c000-0000-7000-8000-000000000002';
const sealed = {
  $enc: 'aes-256-gcm/v1',
  subject: 'person',
  category: 'notes',
  path: 'notes',
  iv: 'AAAAAAAAAAAAAAAA',
  ct: 'AA',
  tag: 'AAAAAAAAAAAAAAAAAAAAAA',
};
const at = (day: number) => `2025-05-${String(day).padStart(2, '0')}T12:00:00.000Z`;

describe('the reintegration reviews read model', () => {
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
    events: readonly { type: string; data: Record<string, unknown>; day: number }[],
  ): Promise<string[]> {
    const ids = events.map(() => v7());
    await store.append(
      `reintegration-${journeyId}`,
      events.map((event, index) => ({
        id: ids[index] ?? v7(),
        ...reintegrationFamily.encode({ type: event.type, data: event.data } as Parameters<
          typeof reintegrationFamily.encode
        >[0]),
        metadata: {
          occurredAt: at(event.day),
          actor: { userId: 'spec', role: 'reintegration_officer', orgId: ORG },
          correlationId: 'spec',
          causationId: 'spec',
        },
      })),
    );
    return ids;
  }

  const plan = (firstReviewDue: string) => ({
    type: 'ReintegrationPlanCreated',
    data: {
      planId: v7(),
      setting: 'after_return',
      supportAreas: ['Livelihood'],
      firstReviewDue,
      goals: sealed,
    },
    day: 1,
  });
  const found = { housing: 'stable_own', school: 'not_applicable', legalStatus: 'regular' };
  const review = (
    day: number,
    economic: number,
    nextReviewDue?: string,
    situation?: typeof found,
  ) => ({
    type: 'ReintegrationReviewCompleted',
    data: {
      reviewId: v7(),
      method: 'in_person',
      scores: { economic, social: 0.5, psychosocial: 0.6 },
      notes: sealed,
      ...(nextReviewDue === undefined ? {} : { nextReviewDue }),
      ...(situation === undefined ? {} : { situation }),
    },
    day,
  });

  async function rows(schema: string) {
    const { rows: schedule } = await db.query(
      `SELECT journey_id, status, reviews, last_review_at, next_review_due::text
         FROM ${schema}.schedule ORDER BY journey_id`,
    );
    const { rows: states } = await db.query(
      `SELECT state FROM ${schema}.states ORDER BY journey_id`,
    );
    return { schedule, states: states.map((row) => row['state']) };
  }

  async function projected() {
    const events = await collect(store.readAll());
    const whole = await rows(await replay(db, reintegrationReviewsProjection(), events));
    expect(await rows(await replay(db, reintegrationReviewsProjection(), events, 1))).toEqual(
      whole,
    );
    return whole;
  }

  it('takes the next review from the last review, else from the plan; none once closed', async () => {
    const [reviewed, planned, closed] = [v7(), v7(), v7()].sort();
    await record(reviewed ?? '', [
      plan('2025-06-01'),
      review(10, 0.2, '2025-08-01'),
      review(20, 0.4, '2025-09-01', found),
    ]);
    await record(planned ?? '', [plan('2025-07-15')]);
    await record(closed ?? '', [
      plan('2025-06-01'),
      { type: 'JourneyClosed', data: { reason: 'reintegrated' }, day: 25 },
    ]);
    const { schedule, states } = await projected();
    expect(schedule).toEqual([
      {
        journey_id: reviewed,
        status: 'open',
        reviews: 2,
        last_review_at: new Date(at(20)),
        next_review_due: '2025-09-01',
      },
      {
        journey_id: planned,
        status: 'open',
        reviews: 0,
        last_review_at: null,
        next_review_due: '2025-07-15',
      },
      {
        journey_id: closed,
        status: 'closed',
        reviews: 0,
        last_review_at: null,
        next_review_due: null,
      },
    ]);
    expect(states[0]).toMatchObject({
      lastReview: { scores: { economic: 0.4, social: 0.5, psychosocial: 0.6 }, situation: found },
    });
    expect(JSON.stringify(states)).not.toContain('aes-256-gcm');
  });

  it('goes back to the earlier review when the last is retracted, and follows an amended date', async () => {
    const journeyId = v7();
    const ids = await record(journeyId, [
      plan('2025-06-01'),
      review(10, 0.2, '2025-08-01'),
      review(20, 0.4, '2025-09-01', found),
    ]);
    await record(journeyId, [
      {
        type: 'EventRetracted',
        data: { retractedEventId: ids[2], reasonCode: 'duplicate' },
        day: 21,
      },
      {
        type: 'EventAmended',
        data: {
          amendedEventId: ids[1],
          reasonCode: 'late-information',
          replacement: review(10, 0.25, '2025-07-20').data,
        },
        day: 21,
      },
    ]);
    const { schedule, states } = await projected();
    expect(schedule).toMatchObject([{ reviews: 1, next_review_due: '2025-07-20' }]);
    expect(states[0]).toMatchObject({
      lastReview: { scores: { economic: 0.25 }, situation: null },
    });
  });
});
