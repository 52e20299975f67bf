import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PRIVACY,
  median,
  publishCount,
  publishMean,
  publishMedian,
  publishShare,
} from './privacy.js';

const rules = DEFAULT_PRIVACY;

describe('publishing a count', () => {
  it('rounds down to a multiple of 10', () => {
    expect(publishCount(37, rules)).toEqual({ status: 'published', value: 30, n: 30 });
  });

  it('suppresses fewer than 10, zero included', () => {
    expect(publishCount(9, rules)).toEqual({ status: 'suppressed', reason: 'too_few_journeys' });
    expect(publishCount(0, rules).status).toBe('suppressed');
  });
});

describe('publishing a share', () => {
  it('gives whole percent over a rounded base', () => {
    expect(publishShare(12, 37, 37, rules)).toEqual({ status: 'published', value: 32, n: 30 });
  });

  it('suppresses a small part: 3 of 40 would single out three people', () => {
    expect(publishShare(3, 40, 40, rules)).toEqual({ status: 'suppressed', reason: 'small_cell' });
    expect(publishShare(37, 40, 40, rules)).toEqual({ status: 'suppressed', reason: 'small_cell' });
  });

  it('publishes nobody and everybody', () => {
    expect(publishShare(0, 40, 40, rules)).toMatchObject({ status: 'published', value: 0 });
    expect(publishShare(40, 40, 40, rules)).toMatchObject({ status: 'published', value: 100 });
  });

  it('suppresses a base of fewer than 10 journeys, even of many referrals', () => {
    expect(publishShare(20, 30, 9, rules)).toEqual({
      status: 'suppressed',
      reason: 'too_few_journeys',
    });
  });
});

describe('medians and means', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 10])).toBe(3.5);
  });

  it('are suppressed from fewer than 10 journeys', () => {
    expect(publishMedian([1, 2, 3, 4, 5, 6, 7, 8, 9], rules).status).toBe('suppressed');
    expect(publishMean([0.1, 0.2, 0.3], rules).status).toBe('suppressed');
  });

  it('are published from 10 journeys with a rounded base', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    expect(publishMedian(values, rules)).toEqual({ status: 'published', value: 6, n: 10 });
    expect(
      publishMean(
        values.map((value) => value / 100),
        rules,
      ),
    ).toEqual({
      status: 'published',
      value: 0.06,
      n: 10,
    });
  });
});
