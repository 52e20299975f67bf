import type { SqlDatabase } from '@waypoint/projections';
import { cursorPart, decodeCursor, encodeCursor } from '@waypoint/service-kit';
import type { LegalStatus } from './domain/status.js';

export interface EndingPeriod {
  readonly journeyId: string;
  readonly periodId: string;
  readonly start: string;
  readonly end: string;
  readonly days: number;
}

export interface EndingQuery {
  /** Periods whose end is before this day (YYYY-MM-DD). */
  readonly before: string;
  /** Only these journeys: the caller's visible ones. */
  readonly journeyIds: readonly string[];
  readonly limit: number;
  readonly cursor?: string;
}

/** Queries over the legal status read model; the serving schema is asked for each time. */
export class LegalStatusReadModel {
  constructor(
    private readonly db: SqlDatabase,
    private readonly schema: () => Promise<string>,
  ) {}

  /** The journey's legal status, or undefined when nothing legal was recorded for it. */
  async status(journeyId: string): Promise<LegalStatus | undefined> {
    const schema = await this.schema();
    const { rows } = await this.db.query<{ state: LegalStatus }>(
      `SELECT state FROM ${schema}.states WHERE journey_id = $1`,
      [journeyId],
    );
    return rows[0]?.state;
  }

  /**
   * Reflection periods that count now, not ended early, whose end is before a day: earliest end
   * first, a page at a time.
   */
  async ending(query: EndingQuery): Promise<{ items: EndingPeriod[]; nextCursor: string | null }> {
    const schema = await this.schema();
    const params: unknown[] = [query.before, query.journeyIds, query.limit + 1];
    let after = '';
    if (query.cursor !== undefined) {
      const [day, journeyId] = decodeCursor(query.cursor, [cursorPart.day, cursorPart.uuid]);
      params.push(day, journeyId);
      after = 'AND (period_end, journey_id) > ($4::date, $5::uuid)';
    }
    const { rows } = await this.db.query<{
      journey_id: string;
      period_id: string;
      period_start: string;
      period_end: string;
      period_days: number;
    }>(
      `SELECT journey_id, period_id, period_start::text AS period_start,
              period_end::text AS period_end, period_days
         FROM ${schema}.status
        WHERE period_ended_on IS NULL AND period_end < $1::date
          AND journey_id = ANY($2::uuid[]) ${after}
        ORDER BY period_end, journey_id
        LIMIT $3`,
      params,
    );
    const items = rows.slice(0, query.limit).map((row) => ({
      journeyId: row.journey_id,
      periodId: row.period_id,
      start: row.period_start,
      end: row.period_end,
      days: row.period_days,
    }));
    const last = items.at(-1);
    return {
      items,
      nextCursor:
        rows.length > query.limit && last ? encodeCursor([last.end, last.journeyId]) : null,
    };
  }
}
