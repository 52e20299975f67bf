import { careFamily } from '@waypoint/contracts';
import type { EventStore } from '@waypoint/eventstore';
import { collect } from '@waypoint/eventstore/contract';
import { MemoryEventStore } from '@waypoint/eventstore/memory';
import { createPgliteDatabase, replay, type SqlDatabase } from '@waypoint/projections';
import { v7 } from 'uuid';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { carePlanProgressProjection } from './progress-projection.js';

const ORG = '0193c000-0000-7000-8000-000000000002';
const sealed = {
  $enc: 'aes-256-gcm/v1',
  subject: 'person',
  category: 'notes',
  path: 'note',
  iv: 'AAAAAAAAAAAAAAAA',
  ct: 'AA',
  tag: 'AAAAAAAAAAAAAAAAAAAAAA',
};
const at = (day: number) => `2025-04-${String(day).padStart(2, '0')}T09:00:00.000Z`;

describe('the care plan progress read model', () => {
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
      `care-${journeyId}`,
      events.map((event, index) => ({
        id: ids[index] ?? v7(),
        ...careFamily.encode({ type: event.type, data: event.data } as Parameters<
          typeof careFamily.encode
        >[0]),
        metadata: {
          occurredAt: at(event.day),
          actor: { userId: 'spec', role: 'care_provider', orgId: ORG },
          correlationId: 'spec',
          causationId: 'spec',
        },
      })),
    );
    return ids;
  }

  const basis = { legalBasis: 'consent', consentId: v7() };
  const delivery = (planId: string | undefined, day: number) => ({
    type: 'CareDelivered',
    data: {
      deliveryId: v7(),
      careCode: 'medical',
      supportPlanType: 'Health',
      provider: { name: 'Harbour Clinic' },
      language: 'en',
      interpreterUsed: false,
      deliveredAt: at(day),
      clinicalDetails: sealed,
      ...(planId === undefined ? {} : { planId }),
    },
    day,
  });

  /** A plan with three objectives: one achieved, one in progress; care delivered and authorised. */
  async function planWithProgress() {
    const journeyId = v7();
    const [planId, first, second, third] = [v7(), v7(), v7(), v7()];
    const objective = (objectiveId: string, careCode: string, supportPlanType: string) => ({
      type: 'CareObjectiveAdded',
      data: { planId, objectiveId, careCode, supportPlanType, description: sealed, ...basis },
      day: 1,
    });
    const progress = (objectiveId: string, status: string, day: number) => ({
      type: 'CareObjectiveProgressRecorded',
      data: { planId, objectiveId, status, note: sealed },
      day,
    });
    const ids = await record(journeyId, [
      {
        type: 'CarePlanCreated',
        data: { planId, reviewDate: '2025-06-30', summary: sealed, ...basis },
        day: 1,
      },
      objective(first, 'medical', 'Health'),
      objective(second, 'counselling', 'SocialCare'),
      objective(third, 'education', 'Education'),
      progress(first, 'in_progress', 3),
      progress(first, 'achieved', 8),
      progress(second, 'in_progress', 5),
      {
        type: 'CareAuthorised',
        data: {
          authorisationId: v7(),
          careCode: 'medical',
          supportPlanType: 'Health',
          planId,
          ...basis,
        },
        day: 2,
      },
      delivery(planId, 4),
      delivery(undefined, 6),
    ]);
    return { journeyId, planId, ids };
  }

  async function rows(schema: string) {
    const journeys = await db.query(`SELECT * FROM ${schema}.journeys ORDER BY journey_id`);
    const plans = await db.query(
      `SELECT journey_id, plan_id, review_date::text, objectives_total, not_started, in_progress,
              partially_achieved, achieved, discontinued, last_progress_at, deliveries, authorisations
         FROM ${schema}.plans ORDER BY journey_id, position`,
    );
    return { journeys: journeys.rows, plans: plans.rows };
  }

  async function projected() {
    const events = await collect(store.readAll());
    const whole = await rows(await replay(db, carePlanProgressProjection(), events));
    const oneByOne = await rows(await replay(db, carePlanProgressProjection(), events, 1));
    expect(oneByOne).toEqual(whole);
    return whole;
  }

  it('counts objectives by status, care delivered and authorised, per plan and per journey', async () => {
    const { journeyId, planId } = await planWithProgress();
    const { journeys, plans } = await projected();
    expect(journeys).toEqual([
      {
        journey_id: journeyId,
        assistance: 'assisting',
        ended_at: null,
        end_reason: null,
        deliveries: 2,
        last_delivered_at: new Date(at(6)),
        authorisations: 1,
        last_progress_at: new Date(at(8)),
      },
    ]);
    expect(plans).toEqual([
      {
        journey_id: journeyId,
        plan_id: planId,
        review_date: '2025-06-30',
        objectives_total: 3,
        not_started: 1,
        in_progress: 1,
        partially_achieved: 0,
        achieved: 1,
        discontinued: 0,
        last_progress_at: new Date(at(8)),
        deliveries: 1,
        authorisations: 1,
      },
    ]);
  });

  it('follows retractions and amendments', async () => {
    const { journeyId, ids } = await planWithProgress();
    // The achievement was recorded in error; the care outside the plan was delivered a day later
    // than recorded; then assistance ended.
    await record(journeyId, [
      {
        type: 'EventRetracted',
        data: { retractedEventId: ids[5], reasonCode: 'recorded-in-error' },
        day: 9,
      },
      {
        type: 'EventAmended',
        data: {
          amendedEventId: ids[9],
          reasonCode: 'data-entry-error',
          replacement: delivery(undefined, 7).data,
        },
        day: 9,
      },
      {
        type: 'AssistanceEnded',
        data: { reason: 'goals_achieved', endedBy: { name: 'Harbour Clinic' }, endedAt: at(10) },
        day: 10,
      },
    ]);
    const { journeys, plans } = await projected();
    expect(plans[0]).toMatchObject({
      in_progress: 2,
      achieved: 0,
      last_progress_at: new Date(at(5)),
    });
    expect(journeys[0]).toMatchObject({
      assistance: 'ended',
      end_reason: 'goals_achieved',
      last_delivered_at: new Date(at(7)),
      last_progress_at: new Date(at(5)),
    });
  });

  it('keeps no personal value', async () => {
    await planWithProgress();
    const schema = await replay(db, carePlanProgressProjection(), await collect(store.readAll()));
    const { rows: kept } = await db.query(
      `SELECT (SELECT json_agg(data) FROM ${schema}.facts) AS facts,
              (SELECT json_agg(state) FROM ${schema}.states) AS states`,
    );
    expect(JSON.stringify(kept)).not.toContain('aes-256-gcm');
    expect(JSON.stringify(kept)).not.toContain('Harbour Clinic');
  });
});
