import { describe, expect, it } from 'vitest';
import {
  categoriesPastRetention,
  parseRetentionPolicy,
  RetentionPolicyError,
} from './retention-policy.js';

const none = new Set<never>();

describe('the retention policy from configuration', () => {
  it('reads <category>=<days> pairs; empty text is no policy', () => {
    expect(parseRetentionPolicy('health=730, notes = 1825')).toEqual([
      { category: 'health', days: 730 },
      { category: 'notes', days: 1825 },
    ]);
    expect(parseRetentionPolicy('')).toEqual([]);
  });
  it.each(['medical=30', 'health=0', 'health=2y', 'health=30,health=40', 'health'])(
    'refuses %s',
    (text) => {
      expect(() => parseRetentionPolicy(text)).toThrow(RetentionPolicyError);
    },
  );
});

describe('categories past retention', () => {
  const policy = parseRetentionPolicy('health=730,notes=1825');
  const closedAt = '2024-01-01T00:00:00.000Z';
  it('lists a category once its period after the closure ran out', () => {
    const subject = { closedAt, held: none, erased: none };
    expect(categoriesPastRetention(policy, subject, new Date('2025-12-30T23:59:59Z'))).toEqual([]);
    expect(categoriesPastRetention(policy, subject, new Date('2025-12-31T00:00:00Z'))).toEqual([
      'health',
    ]);
    expect(categoriesPastRetention(policy, subject, new Date('2030-01-01T00:00:00Z'))).toEqual([
      'health',
      'notes',
    ]);
  });
  it('never lists a category under a hold, one already erased, or anything while a journey is open', () => {
    const later = new Date('2030-01-01T00:00:00Z');
    expect(
      categoriesPastRetention(policy, { closedAt, held: new Set(['health']), erased: none }, later),
    ).toEqual(['notes']);
    expect(
      categoriesPastRetention(policy, { closedAt, held: none, erased: new Set(['notes']) }, later),
    ).toEqual(['health']);
    expect(
      categoriesPastRetention(policy, { closedAt: null, held: none, erased: none }, later),
    ).toEqual([]);
  });
});
