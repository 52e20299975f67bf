import { afterEach, describe, expect, it, vi } from 'vitest';
import { careEventData } from './care/events.js';
import {
  occurredAtInput,
  occurrenceDay,
  occurrenceInstant,
  pastDay,
  plannedDay,
  plannedInstant,
} from './dates.js';
import { identity } from './identification/events.js';
import { legalEventData } from './legal/events.js';
import { reintegrationEventData } from './reintegration/events.js';
import { shelterEventData } from './shelter/events.js';

const pathsOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  (result.error?.issues ?? []).map((issue) => issue.path.join('.'));

const actingBody = { type: 'Police', name: 'Unit 3' };

describe('dates in events', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  describe('year 0000 (valid ISO, but no read-model database stores it)', () => {
    it('is refused in every kind of date field, naming the field', () => {
      expect(
        pathsOf(
          legalEventData.CooperationStatusChanged.safeParse({
            actingBody,
            occurredOn: '0000-01-01',
            status: 'willing',
          }),
        ),
      ).toEqual(['occurredOn']);
      expect(
        pathsOf(identity.safeParse({ givenName: 'A', familyName: 'B', birthDate: '0000-02-01' })),
      ).toEqual(['birthDate']);
      expect(
        pathsOf(
          reintegrationEventData.ReintegrationPlanCreated.safeParse({
            planId: '0194f3b2-7c4e-7b1a-9f00-000000000001',
            setting: 'local_integration',
            supportAreas: ['Education'],
            firstReviewDue: '0000-12-31',
          }),
        ),
      ).toEqual(['firstReviewDue']);
      expect(pathsOf(plannedInstant.safeParse('0000-01-01T00:00:00Z'))).toEqual(['']);
      expect(
        careEventData.AssistanceEnded.shape.endedAt.safeParse('0000-01-01T00:00:00Z').success,
      ).toBe(false);
    });

    it('is refused before 1900 too, and 1900-01-01 is the first day accepted', () => {
      expect(pastDay.safeParse('1899-12-31').success).toBe(false);
      expect(pastDay.safeParse('1900-01-01').success).toBe(true);
    });
  });

  describe('facts and birth dates', () => {
    it('refuse a day in the future, naming the field', () => {
      const inThreeDays = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
      expect(
        pathsOf(identity.safeParse({ givenName: 'A', familyName: 'B', birthDate: inThreeDays })),
      ).toEqual(['birthDate']);
      expect(
        pathsOf(
          shelterEventData.IncidentRecorded.safeParse({
            incidentId: '0194f3b2-7c4e-7b1a-9f00-000000000002',
            kind: 'violence',
            severity: 'low',
            occurredOn: inThreeDays,
            policeNotified: false,
          }),
        ),
      ).toEqual(['occurredOn']);
    });

    it('accept today in a time zone ahead of UTC (one day of slack)', () => {
      const tomorrowUtc = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      expect(pastDay.safeParse(tomorrowUtc).success).toBe(true);
    });

    it('read "now" when a value is validated, not when the schema was built', () => {
      vi.useFakeTimers({ now: new Date('2026-01-01T12:00:00.000Z') });
      expect(pastDay.safeParse('2026-06-01').success).toBe(false);
      vi.setSystemTime(new Date('2026-07-01T12:00:00.000Z'));
      expect(pastDay.safeParse('2026-06-01').success).toBe(true);
    });
  });

  describe('planned dates', () => {
    it('reach up to 100 years ahead, and no further', () => {
      vi.useFakeTimers({ now: new Date('2026-03-01T00:00:00.000Z') });
      expect(plannedDay.safeParse('2126-02-28').success).toBe(true);
      expect(plannedDay.safeParse('2126-03-02').success).toBe(false);
      expect(plannedDay.safeParse('9999-12-31').success).toBe(false);
    });
  });
});

describe('occurredAt, as a command states when a fact happened', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('accepts an instant with Z or an offset, or a bare day', () => {
    vi.useFakeTimers({ now: new Date('2026-03-01T00:00:00.000Z') });
    for (const stated of ['2026-02-01T10:00:00Z', '2026-02-01T10:00:00+02:00', '2026-02-01'])
      expect(occurredAtInput.safeParse(stated).success, stated).toBe(true);
  });

  it('refuses the future (beyond a few minutes of clock skew), year 0000 and anything else', () => {
    vi.useFakeTimers({ now: new Date('2026-03-01T00:00:00.000Z') });
    expect(occurredAtInput.safeParse('2026-03-01T00:04:00Z').success).toBe(true);
    for (const stated of [
      '2026-03-01T01:00:00Z',
      '2026-03-03',
      '0000-01-01T00:00:00Z',
      '0000-01-01',
      'yesterday',
    ])
      expect(occurredAtInput.safeParse(stated).success, stated).toBe(false);
  });

  it('names an instant in UTC, and the day as the caller stated it', () => {
    expect(occurrenceInstant('2026-02-01T00:30:00+01:00')).toBe('2026-01-31T23:30:00.000Z');
    expect(occurrenceDay('2026-02-01T00:30:00+01:00')).toBe('2026-02-01');
    expect(occurrenceInstant('2026-02-01')).toBe('2026-02-01T00:00:00.000Z');
    expect(occurrenceDay('2026-02-01')).toBe('2026-02-01');
  });
});
