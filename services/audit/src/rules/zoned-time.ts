/**
 * Day arithmetic in a jurisdiction's time zone. Instants are UTC ISO strings; a "day" is a local
 * calendar date (YYYY-MM-DD) in the zone. Day-based limits are counted on local dates, so a
 * deadline "within 7 days" ends at the local midnight after the seventh day, whatever the offset
 * and its daylight-saving changes. Only `Intl.DateTimeFormat` is used: no clock, no dependency.
 */

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

/** The zone's offset from UTC at an instant, in milliseconds (east positive). */
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

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** The local calendar date of an instant in the zone. */
export function localDate(instant: string, timeZone: string): string {
  const local = localParts(Date.parse(instant), timeZone);
  return `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)}`;
}

/** The date `days` after a date (negative goes back). */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const shifted = new Date(Date.UTC(year, month - 1, day + days));
  return shifted.toISOString().slice(0, 10);
}

/** Whole days from one date to another (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The instant a local date starts in the zone (its local midnight), as a UTC ISO string. */
export function startOfLocalDay(date: string, timeZone: string): string {
  const guess = Date.parse(`${date}T00:00:00Z`);
  // The offset at the guess may differ from the one at local midnight across a DST change: settle it.
  let instant = guess - zoneOffsetMs(guess, timeZone);
  instant = guess - zoneOffsetMs(instant, timeZone);
  return new Date(instant).toISOString();
}

/**
 * The end of a day-based limit: "within `days` days of `instant`" lasts until the local midnight
 * that ends the `days`-th local day after the instant's own local day.
 */
export function dayDeadline(instant: string, days: number, timeZone: string): string {
  return startOfLocalDay(addDays(localDate(instant, timeZone), days + 1), timeZone);
}

/** An hour-based limit: absolute, independent of the zone. */
export function hourDeadline(instant: string, hours: number): string {
  return new Date(Date.parse(instant) + hours * 3_600_000).toISOString();
}

/** Whether the zone is one this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The date `months` calendar months after a date, clamped to the month's last day. */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const lastDay = new Date(Date.UTC(year, month - 1 + months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month - 1 + months, Math.min(day, lastDay)))
    .toISOString()
    .slice(0, 10);
}
