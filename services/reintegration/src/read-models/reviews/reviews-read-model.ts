import type { SqlDatabase } from '@waypoint/projections';
import { cursorPart, decodeCursor, encodeCursor } from '@waypoint/service-kit';
import { iso } from '@waypoint/projections';
import type { ReviewSchedule } from './domain/reviews.js';

export interface DueReview {
  readonly journeyId: string;
  readonly planId: string | null;
  readonly nextReviewDue: string;
  readonly reviews: number;
  readonly lastReviewAt: string | null;
}

export interface DueQuery {
  /** Reviews due before this day (YYYY-MM-DD). */
  readonly before: string;
  /** Only these journeys: the caller's visible ones. */
  readonly journeyIds: readonly string[];
  readonly limit: number;
  readonly cursor?: string;
}

/** Queries over the reintegration reviews read model; the serving schema is asked for each time. */
export class ReintegrationReviewsReadModel {
  constructor(
    private readonly db: SqlDatabase,
    private readonly schema: () => Promise<string>,
  ) {}

  /** The journey's review schedule, or undefined when nothing was recorded that it follows. */
  async schedule(journeyId: string): Promise<ReviewSchedule | undefined> {
    const schema = await this.schema();
    const { rows } = await this.db.query<{ state: ReviewSchedule }>(
      `SELECT state FROM ${schema}.states WHERE journey_id = $1`,
      [journeyId],
    );
    return rows[0]?.state;
  }

  /** Open journeys with a review due before a day: earliest first, a page at a time. */
  async due(query: DueQuery): Promise<{ items: DueReview[]; nextCursor: string | null }> {
    const schema = await this.schema();
    const params: unknown[] = [query.before, query.journeyIds, query.limit + 1];
    let after = '';
    if (query.cursor !== undefined) {
      const [day, journeyId] = decodeCursor(query.cursor, [cursorPart.day, cursorPart.uuid]);
      params.push(day, journeyId);
      after = 'AND (next_review_due, journey_id) > ($4::date, $5::uuid)';
    }
    const { rows } = await this.db.query<{
      journey_id: string;
      plan_id: string | null;
      next_review_due: string;
      reviews: number;
      last_review_at: Date | string | null;
    }>(
      `SELECT journey_id, plan_id, next_review_due::text AS next_review_due, reviews,
              last_review_at
         FROM ${schema}.schedule
        WHERE next_review_due < $1::date AND journey_id = ANY($2::uuid[]) ${after}
        ORDER BY next_review_due, journey_id
        LIMIT $3`,
      params,
    );
    const items = rows.slice(0, query.limit).map((row) => ({
      journeyId: row.journey_id,
      planId: row.plan_id,
      nextReviewDue: row.next_review_due,
      reviews: row.reviews,
      lastReviewAt: row.last_review_at === null ? null : iso(row.last_review_at),
    }));
    const last = items.at(-1);
    return {
      items,
      nextCursor:
        rows.length > query.limit && last
          ? encodeCursor([last.nextReviewDue, last.journeyId])
          : null,
    };
  }
}
