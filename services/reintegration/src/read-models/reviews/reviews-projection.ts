import { reintegrationFamily } from '@waypoint/contracts';
import type { RecordedEvent } from '@waypoint/eventstore';
import type { Projection, SqlClient } from '@waypoint/projections';
import { categories } from '../../streams.js';
import { applyJourneyFold, setupJourneyFold, journeyFoldOf } from '@waypoint/projections';
import { evolveReviews, nextReviewDue, noReviews, reviewCodes } from './domain/reviews.js';

export const REINTEGRATION_REVIEWS_PROJECTION = 'reintegration_reviews';

const fold = journeyFoldOf({
  category: categories.journey,
  decode: (event) => reintegrationFamily.decode(event),
  codes: reviewCodes,
  initial: noReviews,
  evolve: evolveReviews,
});

/**
 * Each journey's reintegration reviews: the plan, the last review with its scores and the
 * situation it found, and when the next is due (`schedule`, with the columns the due list filters
 * on). Codes, scores and dates only: goals and review notes stay out.
 */
export function reintegrationReviewsProjection(): Projection {
  return {
    name: REINTEGRATION_REVIEWS_PROJECTION,
    // 2: the last review carries the situation it found; states are rebuilt beside the serving ones.
    version: 2,
    filter: { categories: [categories.journey] },
    async setup(tx: SqlClient, schema: string) {
      await setupJourneyFold(tx, schema);
      await tx.query(`CREATE TABLE ${schema}.schedule (
        journey_id uuid PRIMARY KEY,
        status text NOT NULL,
        plan_id uuid,
        reviews integer NOT NULL,
        last_review_at timestamptz,
        next_review_due date)`);
      await tx.query(
        `CREATE INDEX schedule_by_due ON ${schema}.schedule (next_review_due, journey_id)
          WHERE next_review_due IS NOT NULL`,
      );
    },
    async apply(tx: SqlClient, events: readonly RecordedEvent[], schema: string) {
      const states = [...(await applyJourneyFold(tx, schema, fold, events)).values()];
      if (states.length === 0) return;
      await tx.query(
        `INSERT INTO ${schema}.schedule AS s (journey_id, status, plan_id, reviews,
           last_review_at, next_review_due)
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(journey_id uuid, status text,
                plan_id uuid, reviews integer, last_review_at timestamptz, next_review_due date)
         ON CONFLICT (journey_id) DO UPDATE SET status = EXCLUDED.status,
           plan_id = EXCLUDED.plan_id, reviews = EXCLUDED.reviews,
           last_review_at = EXCLUDED.last_review_at, next_review_due = EXCLUDED.next_review_due`,
        [
          JSON.stringify(
            states.map((state) => ({
              journey_id: state.journeyId,
              status: state.status,
              plan_id: state.plan?.planId ?? null,
              reviews: state.reviews,
              last_review_at: state.lastReview?.reviewedAt ?? null,
              next_review_due: nextReviewDue(state),
            })),
          ),
        ],
      );
    },
  };
}
