/**
 * Day arithmetic in a time zone, for deadlines set in law or policy ("within 7 days").
 *
 * An instant is a UTC ISO string (`2025-03-30T01:30:00.000Z`); a date is a calendar day
 * (`YYYY-MM-DD`) with no zone of its own. A day-based limit is counted on the local dates of a
 * zone, so it ends at a local midnight whatever the offset and its daylight-saving changes; an
 * hour-based limit is absolute and ignores the zone. Pure: only `Intl.DateTimeFormat` and `Date`
 * arithmetic on values passed in, never the clock.
 */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** One formatter per zone: building one costs far more than formatting with it. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

interface LocalParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

function localParts(epochMs: number, timeZone: string): LocalParts {
  const parts = formatterFor(timeZone).formatToParts(new Date(epochMs));
  const get = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((part) => part.type === type)?.value ?? Number.NaN);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

function dateParts(date: string): [year: number, month: number, day: number] {
  return date.split('-').map(Number) as [number, number, number];
}

/** Whether this runtime knows the zone (an IANA name such as `Europe/Brussels`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at an instant (epoch milliseconds), in milliseconds, east positive. */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const local = localParts(epochMs, timeZone);
  const asUtc = Date.UTC(
    local.year,
    local.month - 1,
    local.day,
    local.hour,
    local.minute,
    local.second,
  );
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/** The calendar date of an instant in the zone. */
export function localDate(instant: string, timeZone: string): string {
  const local = localParts(Date.parse(instant), timeZone);
  return `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)}`;
}

/** The calendar date of an instant in UTC: `localDate(instant, 'UTC')` without the formatter. */
export function utcDate(instant: string): string {
  return new Date(Date.parse(instant)).toISOString().slice(0, 10);
}

/** The date `days` after a date (negative goes back). Calendar days: no zone, no DST. */
export function addDays(date: string, days: number): string {
  const [year, month, day] = dateParts(date);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** The date `months` calendar months after a date, clamped to the last day of the month. */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = dateParts(date);
  const lastDay = new Date(Date.UTC(year, month - 1 + months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month - 1 + months, Math.min(day, lastDay)))
    .toISOString()
    .slice(0, 10);
}

/** Whole calendar days from one date to another (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  const [fromYear, fromMonth, fromDay] = dateParts(from);
  const [toYear, toMonth, toDay] = dateParts(to);
  return (
    (Date.UTC(toYear, toMonth - 1, toDay) - Date.UTC(fromYear, fromMonth - 1, fromDay)) / DAY_MS
  );
}

/** Zones are between 12 hours behind and 14 hours ahead of UTC. */
const EARLIEST_OFFSET_MS = -12 * HOUR_MS;
const LATEST_OFFSET_MS = 14 * HOUR_MS;

/**
 * The first instant of a local date in the zone: its local midnight; where the clocks went back
 * over midnight, the first of the two; where a change skips midnight (America/Santiago,
 * America/Havana), the moment the clocks jump to.
 */
export function startOfLocalDay(date: string, timeZone: string): string {
  const [year, month, day] = dateParts(date);
  const midnightAsUtc = Date.UTC(year, month - 1, day);
  // The day starts within these bounds; with at most one change between them, the offsets at the
  // bounds are every offset the start can have. Each gives a candidate: the local midnight at that
  // offset. The earliest candidate that falls on the date (or later, for a date the zone skipped
  // altogether) is the start.
  const offsets = new Set([
    zoneOffsetMs(midnightAsUtc - LATEST_OFFSET_MS, timeZone),
    zoneOffsetMs(midnightAsUtc - EARLIEST_OFFSET_MS, timeZone),
  ]);
  const candidates = [...offsets]
    .map((offset) => midnightAsUtc - offset)
    .filter((candidate) => localDate(new Date(candidate).toISOString(), timeZone) >= date);
  return new Date(Math.min(...candidates)).toISOString();
}

/**
 * The end of a day-based limit: "within `days` days of `instant`" lasts until the first instant of
 * the local date that follows the `days`-th local date after the instant's own local date.
 */
export function dayDeadline(instant: string, days: number, timeZone: string): string {
  return startOfLocalDay(addDays(localDate(instant, timeZone), days + 1), timeZone);
}

/** The end of an hour-based limit: absolute, the same in every zone. */
export function hourDeadline(instant: string, hours: number): string {
  return new Date(Date.parse(instant) + hours * HOUR_MS).toISOString();
}
