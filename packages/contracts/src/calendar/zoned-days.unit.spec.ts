import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  dayDeadline,
  daysBetween,
  hourDeadline,
  isTimeZone,
  localDate,
  startOfLocalDay,
  utcDate,
  zoneOffsetMs,
} from './zoned-days.js';

const HOUR = 3_600_000;

describe('the local date of an instant', () => {
  it('is the next day east of UTC late in the UTC evening, still the same day west of it', () => {
    expect(localDate('2025-03-01T23:30:00Z', 'Europe/Brussels')).toBe('2025-03-02');
    expect(localDate('2025-03-01T23:30:00Z', 'America/New_York')).toBe('2025-03-01');
    expect(utcDate('2025-03-01T23:30:00Z')).toBe('2025-03-01');
  });

  it('moves at the zone’s own midnight, half hours included', () => {
    expect(localDate('2025-03-09T18:29:59.999Z', 'Asia/Kolkata')).toBe('2025-03-09');
    expect(localDate('2025-03-09T18:30:00.000Z', 'Asia/Kolkata')).toBe('2025-03-10');
  });

  it('is read on the offset in force at that instant, either side of a change', () => {
    // Brussels goes from +01:00 to +02:00 at 01:00 UTC on the last Sunday of March.
    expect(localDate('2025-03-29T22:59:59Z', 'Europe/Brussels')).toBe('2025-03-29');
    expect(localDate('2025-03-29T23:00:00Z', 'Europe/Brussels')).toBe('2025-03-30');
    expect(localDate('2025-03-30T21:59:59Z', 'Europe/Brussels')).toBe('2025-03-30');
    expect(localDate('2025-03-30T22:00:00Z', 'Europe/Brussels')).toBe('2025-03-31');
    // And back to +01:00 on the last Sunday of October.
    expect(localDate('2025-10-25T22:00:00Z', 'Europe/Brussels')).toBe('2025-10-26');
    expect(localDate('2025-10-26T22:59:59Z', 'Europe/Brussels')).toBe('2025-10-26');
    expect(localDate('2025-10-26T23:00:00Z', 'Europe/Brussels')).toBe('2025-10-27');
  });
});

describe('the zone offset', () => {
  it('is positive east of UTC and follows daylight saving', () => {
    expect(zoneOffsetMs(Date.parse('2025-07-01T00:00:00Z'), 'Europe/Brussels')).toBe(2 * HOUR);
    expect(zoneOffsetMs(Date.parse('2025-01-01T00:00:00Z'), 'Europe/Brussels')).toBe(HOUR);
    expect(zoneOffsetMs(Date.parse('2025-01-01T00:00:00Z'), 'America/New_York')).toBe(-5 * HOUR);
    expect(zoneOffsetMs(Date.parse('2025-07-01T00:00:00Z'), 'America/New_York')).toBe(-4 * HOUR);
    expect(zoneOffsetMs(Date.parse('2025-07-01T00:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * HOUR);
  });
});

describe('the start of a local day', () => {
  it('is local midnight at the offset of that midnight, on both sides of the spring change', () => {
    expect(startOfLocalDay('2025-03-29', 'Europe/Brussels')).toBe('2025-03-28T23:00:00.000Z');
    // The change day itself starts before the change, still at +01:00; it lasts 23 hours.
    expect(startOfLocalDay('2025-03-30', 'Europe/Brussels')).toBe('2025-03-29T23:00:00.000Z');
    expect(startOfLocalDay('2025-03-31', 'Europe/Brussels')).toBe('2025-03-30T22:00:00.000Z');
  });

  it('is local midnight on both sides of the autumn change, where the day lasts 25 hours', () => {
    expect(startOfLocalDay('2025-10-26', 'Europe/Brussels')).toBe('2025-10-25T22:00:00.000Z');
    expect(startOfLocalDay('2025-10-27', 'Europe/Brussels')).toBe('2025-10-26T23:00:00.000Z');
  });

  it('follows New York’s changes, which fall on other Sundays and at another hour', () => {
    expect(startOfLocalDay('2025-03-09', 'America/New_York')).toBe('2025-03-09T05:00:00.000Z');
    expect(startOfLocalDay('2025-03-10', 'America/New_York')).toBe('2025-03-10T04:00:00.000Z');
    expect(startOfLocalDay('2025-11-02', 'America/New_York')).toBe('2025-11-02T04:00:00.000Z');
    expect(startOfLocalDay('2025-11-03', 'America/New_York')).toBe('2025-11-03T05:00:00.000Z');
  });

  it('is the same hour all year in a zone without daylight saving', () => {
    expect(startOfLocalDay('2025-01-15', 'Asia/Tokyo')).toBe('2025-01-14T15:00:00.000Z');
    expect(startOfLocalDay('2025-07-15', 'Asia/Tokyo')).toBe('2025-07-14T15:00:00.000Z');
    expect(startOfLocalDay('2025-07-15', 'UTC')).toBe('2025-07-15T00:00:00.000Z');
  });

  it('falls on the half hour in a zone offset by 5:30', () => {
    expect(startOfLocalDay('2025-03-10', 'Asia/Kolkata')).toBe('2025-03-09T18:30:00.000Z');
  });

  it('is the moment the clocks jump to when a change skips midnight', () => {
    // Santiago went from -04:00 to -03:00 at local midnight on 2024-09-08: 00:00 never happened.
    expect(startOfLocalDay('2024-09-08', 'America/Santiago')).toBe('2024-09-08T04:00:00.000Z');
    expect(localDate('2024-09-08T04:00:00.000Z', 'America/Santiago')).toBe('2024-09-08');
    expect(localDate('2024-09-08T03:59:59.999Z', 'America/Santiago')).toBe('2024-09-07');
  });

  it('is the first of two midnights when the clocks go back over midnight', () => {
    // Santiago went from -03:00 back to -04:00 at local midnight on 2025-04-06: the hour before
    // midnight happened twice, and the day began after the second one.
    expect(startOfLocalDay('2025-04-06', 'America/Santiago')).toBe('2025-04-06T04:00:00.000Z');
    expect(localDate('2025-04-06T03:59:59.999Z', 'America/Santiago')).toBe('2025-04-05');
  });
});

describe('a day-based deadline', () => {
  it('ends at the local midnight after the last day, across the spring change', () => {
    // Thursday 27 March in Brussels; 7 days later is 3 April, which ends at 4 April 00:00 +02:00.
    expect(dayDeadline('2025-03-27T10:00:00Z', 7, 'Europe/Brussels')).toBe(
      '2025-04-03T22:00:00.000Z',
    );
  });

  it('ends at the local midnight after the last day, across the autumn change', () => {
    expect(dayDeadline('2025-10-24T10:00:00Z', 7, 'Europe/Brussels')).toBe(
      '2025-10-31T23:00:00.000Z',
    );
    expect(dayDeadline('2025-10-30T12:00:00Z', 7, 'America/New_York')).toBe(
      '2025-11-07T05:00:00.000Z',
    );
  });

  it('counts from the local date of the instant, not the UTC one', () => {
    // 23:30 UTC on 1 March is already 2 March in Brussels.
    expect(dayDeadline('2025-03-01T23:30:00Z', 1, 'Europe/Brussels')).toBe(
      '2025-03-03T23:00:00.000Z',
    );
    expect(dayDeadline('2025-03-01T23:30:00Z', 1, 'Asia/Kolkata')).toBe('2025-03-03T18:30:00.000Z');
  });

  it('whereas an hour-based deadline is absolute, across a change as elsewhere', () => {
    expect(hourDeadline('2025-03-29T12:00:00Z', 24)).toBe('2025-03-30T12:00:00.000Z');
    expect(hourDeadline('2025-03-29T12:00:00.000Z', -1.5)).toBe('2025-03-29T10:30:00.000Z');
  });
});

describe('calendar arithmetic on dates', () => {
  it('adds days across month, year and leap-day boundaries, forwards and back', () => {
    expect(addDays('2025-03-29', 2)).toBe('2025-03-31');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it('counts whole days between dates, whatever daylight saving did in between', () => {
    expect(daysBetween('2025-03-04', '2025-04-03')).toBe(30);
    expect(daysBetween('2025-03-29', '2025-03-31')).toBe(2);
    expect(daysBetween('2025-04-03', '2025-03-04')).toBe(-30);
  });

  it('adds months, clamped to the last day of a shorter month', () => {
    expect(addMonths('2025-08-31', 6)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-03-15', -3)).toBe('2024-12-15');
  });
});

describe('time zone names', () => {
  it('are IANA names this runtime knows', () => {
    expect(isTimeZone('Europe/Brussels')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
