import { describe, expect, it } from 'vitest';
import { decideReview, ReviewRefused, statusAfter } from './lifecycle.js';

describe('reviewing a finding', () => {
  describe('a flag', () => {
    it('can be acknowledged, then dismissed', () => {
      expect(decideReview('flag', 'open', 'acknowledge')).toBe('FindingAcknowledged');
      expect(statusAfter('open', 'FindingAcknowledged')).toBe('acknowledged');
      expect(decideReview('flag', 'acknowledged', 'dismiss')).toBe('FindingDismissed');
    });
    it('once dismissed, cannot be acknowledged, only annotated', () => {
      expect(() => decideReview('flag', 'dismissed', 'acknowledge')).toThrow(ReviewRefused);
      expect(decideReview('flag', 'dismissed', 'annotate')).toBe('FindingAnnotated');
    });
  });
  describe('a breach', () => {
    it('cannot be dismissed or acknowledged', () => {
      expect(() => decideReview('breach', 'open', 'dismiss')).toThrow(/only annotated/);
      expect(() => decideReview('breach', 'open', 'acknowledge')).toThrow(ReviewRefused);
    });
    it('can be annotated, which leaves it open', () => {
      expect(decideReview('breach', 'open', 'annotate')).toBe('FindingAnnotated');
      expect(statusAfter('open', 'FindingAnnotated')).toBe('open');
    });
  });
});
