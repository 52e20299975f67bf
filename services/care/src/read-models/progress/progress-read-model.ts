import type { SqlDatabase } from '@waypoint/projections';
import { dayOf, iso } from '@waypoint/projections';
import type { CareProgress } from './domain/progress.js';

export interface PlanProgressRow {
  readonly planId: string;
  readonly createdAt: string;
  readonly reviewDate: string | null;
  readonly objectives: {
    readonly total: number;
    readonly notStarted: number;
    readonly inProgress: number;
    readonly partiallyAchieved: number;
    readonly achieved: number;
    readonly discontinued: number;
  };
  readonly lastProgressAt: string | null;
  readonly deliveries: number;
  readonly authorisations: number;
}

export interface JourneyCareProgress {
  readonly assistance: {
    status: CareProgress['assistance'];
    endedAt: string | null;
    reason: string | null;
  };
  readonly deliveries: number;
  readonly lastDeliveredAt: string | null;
  readonly authorisations: number;
  readonly lastProgressAt: string | null;
  readonly plans: PlanProgressRow[];
}

type Instant = Date | string | null;
const maybeIso = (value: Instant): string | null => (value === null ? null : iso(value));

/** Queries over the care plan progress read model; the serving schema is asked for each time. */
export class CareProgressReadModel {
  constructor(
    private readonly db: SqlDatabase,
    private readonly schema: () => Promise<string>,
  ) {}

  /** The journey's care progress, or undefined when no care was recorded for it. */
  async progress(journeyId: string): Promise<JourneyCareProgress | undefined> {
    const schema = await this.schema();
    const [journeys, plans] = await Promise.all([
      this.db.query<{
        assistance: CareProgress['assistance'];
        ended_at: Instant;
        end_reason: string | null;
        deliveries: number;
        last_delivered_at: Instant;
        authorisations: number;
        last_progress_at: Instant;
      }>(`SELECT * FROM ${schema}.journeys WHERE journey_id = $1`, [journeyId]),
      this.db.query<{
        plan_id: string;
        created_at: Date | string;
        review_date: string | null;
        objectives_total: number;
        not_started: number;
        in_progress: number;
        partially_achieved: number;
        achieved: number;
        discontinued: number;
        last_progress_at: Instant;
        deliveries: number;
        authorisations: number;
      }>(
        `SELECT plan_id, created_at, review_date::text AS review_date, objectives_total,
                not_started, in_progress, partially_achieved, achieved, discontinued,
                last_progress_at, deliveries, authorisations
           FROM ${schema}.plans WHERE journey_id = $1 ORDER BY position`,
        [journeyId],
      ),
    ]);
    const journey = journeys.rows[0];
    if (!journey) return undefined;
    return {
      assistance: {
        status: journey.assistance,
        endedAt: maybeIso(journey.ended_at),
        reason: journey.end_reason,
      },
      deliveries: journey.deliveries,
      lastDeliveredAt: maybeIso(journey.last_delivered_at),
      authorisations: journey.authorisations,
      lastProgressAt: maybeIso(journey.last_progress_at),
      plans: plans.rows.map((plan) => ({
        planId: plan.plan_id,
        createdAt: iso(plan.created_at),
        reviewDate: plan.review_date === null ? null : dayOf(plan.review_date),
        objectives: {
          total: plan.objectives_total,
          notStarted: plan.not_started,
          inProgress: plan.in_progress,
          partiallyAchieved: plan.partially_achieved,
          achieved: plan.achieved,
          discontinued: plan.discontinued,
        },
        lastProgressAt: maybeIso(plan.last_progress_at),
        deliveries: plan.deliveries,
        authorisations: plan.authorisations,
      })),
    };
  }
}
