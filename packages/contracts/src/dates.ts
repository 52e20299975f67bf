import { z } from 'zod';

/**
 * Every date and instant an event carries is bounded: nothing before 1900 (year 0000 is valid ISO
 * but no read-model database stores it, so such an event would vanish from the timeline), facts
 * and birth dates not in the future, planned dates not beyond a horizon. "Now" is read when a
 * value is validated, never when this module is loaded: a long-running service moves with time.
 */

/** The earliest day any field accepts: anything older is a typing error. */
export const EARLIEST_DAY = '1900-01-01';
/** How far ahead a planned date (a review, an expiry, a return) may lie. */
export const PLANNING_HORIZON_YEARS = 100;

const DAY_MS = 86_400_000;
/** A day stated in a time zone ahead of UTC may be tomorrow in UTC: one day of slack. */
const DAY_SLACK_MS = DAY_MS;
/** A caller's clock may run a little ahead of ours. */
const CLOCK_SKEW_MS = 5 * 60_000;
const EARLIEST_MS = Date.parse(`${EARLIEST_DAY}T00:00:00.000Z`);

const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const horizonMs = (nowMs: number): number => {
  const horizon = new Date(nowMs);
  horizon.setUTCFullYear(horizon.getUTCFullYear() + PLANNING_HORIZON_YEARS);
  return horizon.getTime();
};

/** The latest day a past fact may carry, now. */
export const latestPastDay = (): string => dayOf(Date.now() + DAY_SLACK_MS);
/** The latest day a planned date may carry, now. */
export const latestPlannedDay = (): string => dayOf(horizonMs(Date.now()));

const NOT_BEFORE_EARLIEST = `must be on or after ${EARLIEST_DAY}`;
const NOT_IN_FUTURE = 'must not be in the future';
const NOT_BEYOND_HORIZON = `must be within ${String(PLANNING_HORIZON_YEARS)} years from now`;

/** A day that has come (a fact, a birth date): from 1900-01-01 to today. */
export const pastDay = z.iso
  .date()
  .refine((day) => day >= EARLIEST_DAY, { error: NOT_BEFORE_EARLIEST, abort: true })
  .refine((day) => day <= latestPastDay(), { error: NOT_IN_FUTURE })
  .describe(`A day (YYYY-MM-DD) from ${EARLIEST_DAY} to today.`);

/** A day planned or decided ahead (a review, an expiry): from 1900-01-01 to the horizon. */
export const plannedDay = z.iso
  .date()
  .refine((day) => day >= EARLIEST_DAY, { error: NOT_BEFORE_EARLIEST, abort: true })
  .refine((day) => day <= latestPlannedDay(), { error: NOT_BEYOND_HORIZON })
  .describe(
    `A day (YYYY-MM-DD) from ${EARLIEST_DAY} to ${String(PLANNING_HORIZON_YEARS)} years from now.`,
  );

/** An instant that has come (in UTC, `Z`): from 1900 to now. */
export const pastInstant = z.iso
  .datetime({ offset: false })
  .refine((instant) => Date.parse(instant) >= EARLIEST_MS, {
    error: NOT_BEFORE_EARLIEST,
    abort: true,
  })
  .refine((instant) => Date.parse(instant) <= Date.now() + CLOCK_SKEW_MS, { error: NOT_IN_FUTURE })
  .describe(`An instant in UTC (ISO 8601, Z) from ${EARLIEST_DAY} to now.`);

/** An instant planned ahead (an expiry, the end of a mandate), in UTC: from 1900 to the horizon. */
export const plannedInstant = z.iso
  .datetime({ offset: false })
  .refine((instant) => Date.parse(instant) >= EARLIEST_MS, {
    error: NOT_BEFORE_EARLIEST,
    abort: true,
  })
  .refine((instant) => Date.parse(instant) <= horizonMs(Date.now()), {
    error: NOT_BEYOND_HORIZON,
  })
  .describe(
    `An instant in UTC (ISO 8601, Z) from ${EARLIEST_DAY} to ${String(PLANNING_HORIZON_YEARS)} years from now.`,
  );

const isDay = (stated: string): boolean => stated.length === 10;

/**
 * When a recorded fact happened, as a command states it (`occurredAt`, the one name every service
 * accepts): an ISO instant with `Z` or an offset, or a bare day. Not before 1900, not in the
 * future; when absent, the fact happened when the command was received.
 */
export const occurredAtInput = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], {
    error: 'must be an ISO instant (2026-03-01T10:30:00Z, or with an offset) or a day (2026-03-01)',
  })
  .refine((stated) => Date.parse(occurrenceInstant(stated)) >= EARLIEST_MS, {
    error: NOT_BEFORE_EARLIEST,
    abort: true,
  })
  .refine(
    (stated) =>
      isDay(stated) ? stated <= latestPastDay() : Date.parse(stated) <= Date.now() + CLOCK_SKEW_MS,
    { error: NOT_IN_FUTURE },
  )
  .describe(
    'When it happened: an ISO instant (Z or offset) or a day, not in the future; the time the command is received when omitted.',
  );

/** The instant a stated occurrence names, in UTC: a bare day is that day at 00:00 UTC. */
export function occurrenceInstant(stated: string): string {
  return isDay(stated) ? `${stated}T00:00:00.000Z` : new Date(stated).toISOString();
}

/** The day a stated occurrence names, as the caller stated it (their local day, not UTC's). */
export function occurrenceDay(stated: string): string {
  return stated.slice(0, 10);
}
