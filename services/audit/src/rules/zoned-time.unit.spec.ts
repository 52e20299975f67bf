import { describe, expect, it } from 'vitest';
import {
  addMonths,
  dayDeadline,
  daysBetween,
  localDate,
  startOfLocalDay,
  zoneOffsetMs,
} from './zoned-time.js';

describe('day-based limits are counted in the jurisdiction time zone', () => {
  it('an instant late in the UTC evening is already the next day in Amsterdam', () => {
    expect(localDate('2025-03-01T23:30:00Z', 'Europe/Amsterdam')).toBe('2025-03-02');
    expect(localDate('2025-03-01T23:30:00Z', 'America/New_York')).toBe('2025-03-01');
  });

  it('local midnight follows the daylight-saving offset', () => {
    expect(startOfLocalDay('2025-03-29', 'Europe/Amsterdam')).toBe('2025-03-28T23:00:00.000Z');
    expect(startOfLocalDay('2025-03-31', 'Europe/Amsterdam')).toBe('2025-03-30T22:00:00.000Z');
    expect(startOfLocalDay('2025-03-10', 'Asia/Kolkata')).toBe('2025-03-09T18:30:00.000Z');
  });

  it('a 7-day limit across the spring change ends at local midnight after the seventh day', () => {
    expect(dayDeadline('2025-03-27T10:00:00Z', 7, 'Europe/Amsterdam')).toBe(
      '2025-04-03T22:00:00.000Z',
    );
  });

  it('offsets east of UTC are positive', () => {
    expect(zoneOffsetMs(Date.parse('2025-07-01T00:00:00Z'), 'Europe/Amsterdam')).toBe(7_200_000);
    expect(zoneOffsetMs(Date.parse('2025-01-01T00:00:00Z'), 'America/New_York')).toBe(-18_000_000);
  });

  it('calendar arithmetic', () => {
    expect(daysBetween('2025-03-04', '2025-04-03')).toBe(30);
    expect(addMonths('2025-08-31', 6)).toBe('2026-02-28');
  });
});
