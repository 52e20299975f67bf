import type { SqlDatabase } from '@waypoint/projections';
import { cursorPart, decodeCursor, encodeCursor } from '@waypoint/service-kit';
import { summarise } from './summary/domain/summarise.js';
import type { JourneySummary, Phase } from './summary/domain/summary.js';
import type { TimelineEntry } from './summary/domain/timeline-entry.js';
import { entryFromRow, TIMELINE_COLUMNS, type TimelineRow } from './timeline/entries.js';

export type TimelineOrder = 'occurred' | 'recorded';

export interface TimelinePage {
  readonly entries: TimelineEntry[];
  readonly nextCursor: string | null;
}

export interface SearchFilter {
  /** Only journeys this organisation sees; undefined for roles that see every journey. */
  readonly visibleTo: string | undefined;
  readonly organisation?: string;
  readonly phase?: Phase;
  /** Journeys with something due on or before this day. */
  readonly dueBefore?: string;
  readonly limit: number;
  readonly cursor?: string;
}

export interface SearchRow {
  readonly journeyId: string;
  readonly summary: JourneySummary;
  readonly nextDueOn: string | null;
}

const day = (value: Date | string | null): string | null =>
  value === null
    ? null
    : value instanceof Date
      ? value.toISOString().slice(0, 10)
      : value.slice(0, 10);

/**
 * Queries over the journey read model. The schema of the generation that serves is asked for on
 * every query, so a rebuild's switch is followed without a restart.
 */
export class JourneyReadModel {
  constructor(
    private readonly db: SqlDatabase,
    private readonly schema: () => Promise<string>,
  ) {}

  async summary(journeyId: string): Promise<JourneySummary | undefined> {
    const schema = await this.schema();
    const { rows } = await this.db.query<{ summary: JourneySummary }>(
      `SELECT summary FROM ${schema}.summaries WHERE journey_id = $1`,
      [journeyId],
    );
    return rows[0]?.summary;
  }

  async timeline(
    journeyId: string,
    options: { order: TimelineOrder; limit: number; cursor?: string },
  ): Promise<TimelinePage> {
    const schema = await this.schema();
    const column = options.order === 'occurred' ? 'occurred_at' : 'recorded_at';
    const params: unknown[] = [journeyId, options.limit + 1];
    let after = '';
    if (options.cursor !== undefined) {
      const [at, eventId] = decodeCursor(options.cursor, [cursorPart.instant, cursorPart.uuid]);
      params.push(at, eventId);
      after = `AND (${column}, event_id) > ($3::timestamptz, $4::uuid)`;
    }
    const { rows } = await this.db.query<TimelineRow>(
      `SELECT ${TIMELINE_COLUMNS} FROM ${schema}.timeline
        WHERE journey_id = $1 ${after}
        ORDER BY ${column}, event_id LIMIT $2`,
      params,
    );
    const entries = rows.slice(0, options.limit).map(entryFromRow);
    const last = entries.at(-1);
    return {
      entries,
      nextCursor:
        rows.length > options.limit && last
          ? encodeCursor([
              options.order === 'occurred' ? last.occurredAt : last.recordedAt,
              last.eventId,
            ])
          : null,
    };
  }

  /**
   * The journey as it was known at `at` (events recorded by then) and as it had happened by `at`
   * (events that occurred by then, as known now), with the events that make the difference.
   */
  async asOf(
    journeyId: string,
    at: string,
  ): Promise<
    | {
        known: JourneySummary;
        happened: JourneySummary;
        recordedLater: TimelineEntry[];
        notYetHappened: TimelineEntry[];
      }
    | undefined
  > {
    const schema = await this.schema();
    const { rows } = await this.db.query<TimelineRow>(
      `SELECT ${TIMELINE_COLUMNS} FROM ${schema}.timeline
        WHERE journey_id = $1 AND (recorded_at <= $2::timestamptz OR occurred_at <= $2::timestamptz)
        ORDER BY occurred_at, event_id`,
      [journeyId, at],
    );
    if (rows.length === 0) return undefined;
    const entries = rows.map(entryFromRow);
    const cut = Date.parse(at);
    const recordedBy = (entry: TimelineEntry): boolean => Date.parse(entry.recordedAt) <= cut;
    const occurredBy = (entry: TimelineEntry): boolean => Date.parse(entry.occurredAt) <= cut;
    return {
      known: summarise(journeyId, entries.filter(recordedBy)),
      happened: summarise(journeyId, entries.filter(occurredBy)),
      recordedLater: entries.filter((entry) => occurredBy(entry) && !recordedBy(entry)),
      notYetHappened: entries.filter((entry) => recordedBy(entry) && !occurredBy(entry)),
    };
  }

  async search(filter: SearchFilter): Promise<{ rows: SearchRow[]; nextCursor: string | null }> {
    const schema = await this.schema();
    const params: unknown[] = [
      filter.visibleTo ?? null,
      filter.organisation ?? null,
      filter.phase ?? null,
      filter.dueBefore ?? null,
      filter.limit + 1,
    ];
    let after = '';
    if (filter.cursor !== undefined) {
      const [due, journeyId] = decodeCursor(filter.cursor, [cursorPart.day, cursorPart.uuid]);
      params.push(due, journeyId);
      after = `AND (COALESCE(next_due_on, DATE '9999-12-31'), journey_id) > ($6::date, $7::uuid)`;
    }
    const { rows } = await this.db.query<{
      journey_id: string;
      summary: JourneySummary;
      next_due_on: Date | string | null;
    }>(
      `SELECT journey_id, summary, next_due_on FROM ${schema}.summaries
        WHERE ($1::text IS NULL OR $1::text = ANY (organisations))
          AND ($2::text IS NULL OR $2::text = ANY (organisations))
          AND ($3::text IS NULL OR phase = $3::text)
          AND ($4::date IS NULL OR next_due_on <= $4::date)
          ${after}
        ORDER BY COALESCE(next_due_on, DATE '9999-12-31'), journey_id
        LIMIT $5`,
      params,
    );
    const page = rows.slice(0, filter.limit).map((row) => ({
      journeyId: row.journey_id,
      summary: row.summary,
      nextDueOn: day(row.next_due_on),
    }));
    const last = page.at(-1);
    return {
      rows: page,
      nextCursor:
        rows.length > filter.limit && last
          ? encodeCursor([last.nextDueOn ?? '9999-12-31', last.journeyId])
          : null,
    };
  }
}
