import { careFamily } from '@waypoint/contracts';
import type { RecordedEvent } from '@waypoint/eventstore';
import type { Projection, SqlClient } from '@waypoint/projections';
import { categories } from '../../streams.js';
import { applyJourneyFold, setupJourneyFold, journeyFoldOf } from '@waypoint/projections';
import {
  evolveProgress,
  noProgress,
  objectiveCounts,
  progressCodes,
  type CareProgress,
} from './domain/progress.js';

export const CARE_PLAN_PROGRESS_PROJECTION = 'care_plan_progress';

const fold = journeyFoldOf({
  category: categories.care,
  decode: (event) => careFamily.decode(event),
  codes: progressCodes,
  initial: noProgress,
  evolve: evolveProgress,
});

/**
 * How each journey's care is going: per journey (assistance, care delivered and authorised) and
 * per care plan (objectives by status, last progress, care delivered and authorised for it).
 * Codes, counts and dates only: summaries, notes and clinical details stay out.
 */
export function carePlanProgressProjection(): Projection {
  return {
    name: CARE_PLAN_PROGRESS_PROJECTION,
    version: 1,
    filter: { categories: [categories.care] },
    async setup(tx: SqlClient, schema: string) {
      await setupJourneyFold(tx, schema);
      await tx.query(`CREATE TABLE ${schema}.journeys (
        journey_id uuid PRIMARY KEY,
        assistance text NOT NULL,
        ended_at timestamptz,
        end_reason text,
        deliveries integer NOT NULL,
        last_delivered_at timestamptz,
        authorisations integer NOT NULL,
        last_progress_at timestamptz)`);
      await tx.query(`CREATE TABLE ${schema}.plans (
        journey_id uuid NOT NULL,
        plan_id uuid NOT NULL,
        position integer NOT NULL,
        created_at timestamptz NOT NULL,
        review_date date,
        objectives_total integer NOT NULL,
        not_started integer NOT NULL,
        in_progress integer NOT NULL,
        partially_achieved integer NOT NULL,
        achieved integer NOT NULL,
        discontinued integer NOT NULL,
        last_progress_at timestamptz,
        deliveries integer NOT NULL,
        authorisations integer NOT NULL,
        PRIMARY KEY (journey_id, plan_id))`);
    },
    async apply(tx: SqlClient, events: readonly RecordedEvent[], schema: string) {
      const states = [...(await applyJourneyFold(tx, schema, fold, events)).values()];
      if (states.length > 0) await writeProgress(tx, schema, states);
    },
  };
}

async function writeProgress(
  tx: SqlClient,
  schema: string,
  states: readonly CareProgress[],
): Promise<void> {
  await tx.query(
    `INSERT INTO ${schema}.journeys AS j (journey_id, assistance, ended_at, end_reason, deliveries,
       last_delivered_at, authorisations, last_progress_at)
     SELECT journey_id, assistance, ended_at, end_reason, deliveries, last_delivered_at,
            authorisations, last_progress_at
       FROM jsonb_to_recordset($1::jsonb) AS t(journey_id uuid, assistance text,
            ended_at timestamptz, end_reason text, deliveries integer,
            last_delivered_at timestamptz, authorisations integer, last_progress_at timestamptz)
     ON CONFLICT (journey_id) DO UPDATE SET assistance = EXCLUDED.assistance,
       ended_at = EXCLUDED.ended_at, end_reason = EXCLUDED.end_reason,
       deliveries = EXCLUDED.deliveries, last_delivered_at = EXCLUDED.last_delivered_at,
       authorisations = EXCLUDED.authorisations, last_progress_at = EXCLUDED.last_progress_at`,
    [
      JSON.stringify(
        states.map((state) => ({
          journey_id: state.journeyId,
          assistance: state.assistance,
          ended_at: state.ended?.endedAt ?? null,
          end_reason: state.ended?.reason ?? null,
          deliveries: state.deliveries,
          last_delivered_at: state.lastDeliveredAt,
          authorisations: state.authorisations,
          last_progress_at: state.lastProgressAt,
        })),
      ),
    ],
  );
  await tx.query(`DELETE FROM ${schema}.plans WHERE journey_id = ANY($1::uuid[])`, [
    states.map((state) => state.journeyId),
  ]);
  const plans = states.flatMap((state) =>
    state.plans.map((plan, position) => ({
      journey_id: state.journeyId,
      plan_id: plan.planId,
      position,
      created_at: plan.createdAt,
      review_date: plan.reviewDate,
      objectives_total: plan.objectives.length,
      ...objectiveCounts(plan),
      last_progress_at: plan.lastProgressAt,
      deliveries: plan.deliveries,
      authorisations: plan.authorisations,
    })),
  );
  await tx.query(
    `INSERT INTO ${schema}.plans (journey_id, plan_id, position, created_at, review_date,
       objectives_total, not_started, in_progress, partially_achieved, achieved, discontinued,
       last_progress_at, deliveries, authorisations)
     SELECT journey_id, plan_id, position, created_at, review_date, objectives_total, not_started,
            in_progress, partially_achieved, achieved, discontinued, last_progress_at, deliveries,
            authorisations
       FROM jsonb_to_recordset($1::jsonb) AS t(journey_id uuid, plan_id uuid, position integer,
            created_at timestamptz, review_date date, objectives_total integer,
            not_started integer, in_progress integer, partially_achieved integer,
            achieved integer, discontinued integer, last_progress_at timestamptz,
            deliveries integer, authorisations integer)
     ON CONFLICT (journey_id, plan_id) DO NOTHING`,
    [JSON.stringify(plans)],
  );
}
