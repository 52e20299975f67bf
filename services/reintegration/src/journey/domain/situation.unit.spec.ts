import type { ReintegrationEventData, ReviewSituation } from '@waypoint/contracts';
import { describe, expect, it } from 'vitest';
import { currentSituation } from './situation.js';
import { evolve } from './evolve.js';
import { initialState, type StoredEvent } from './state.js';
import { summarise } from './summary.js';

const reviewId = (n: number): string => `01936d8e-0000-7000-8000-0000000000${String(n)}d`;

let counter = 0;
const review = (
  n: number,
  occurredAt: string,
  situation?: ReviewSituation,
): StoredEvent & { eventId: string } => {
  counter += 1;
  const data: ReintegrationEventData<'ReintegrationReviewCompleted'> = {
    reviewId: reviewId(n),
    method: 'in_person',
    scores: { economic: 0.5, social: 0.5, psychosocial: 0.5 },
    ...(situation === undefined ? {} : { situation }),
  };
  return {
    type: 'ReintegrationReviewCompleted',
    data,
    eventId: `01936d8e-0000-7000-8000-${String(counter).padStart(12, '0')}`,
    occurredAt,
  };
};

const situationOf = (events: readonly StoredEvent[]) =>
  currentSituation(summarise(events.reduce(evolve, initialState()).history));

describe('the current situation', () => {
  describe('given no review with a situation', () => {
    it('is empty', () => {
      expect(situationOf([])).toEqual({});
      expect(situationOf([review(1, '2026-01-10T00:00:00.000Z')])).toEqual({});
    });
  });

  describe('given reviews that asked about different aspects', () => {
    it('keeps each aspect’s latest answer with the review that found it', () => {
      const baseline = review(1, '2026-01-10T00:00:00.000Z', {
        housing: 'shelter_or_temporary',
        work: 'unemployed_seeking',
        feelsSafe: 'somewhat',
        legalStatus: 'citizen_returned',
      });
      const later = review(2, '2026-04-10T00:00:00.000Z', {
        housing: 'stable_family',
        feelsSafe: 'yes',
      });
      expect(situationOf([baseline, later])).toEqual({
        housing: { code: 'stable_family', reviewId: reviewId(2), foundAt: later.occurredAt },
        work: { code: 'unemployed_seeking', reviewId: reviewId(1), foundAt: baseline.occurredAt },
        feelsSafe: { code: 'yes', reviewId: reviewId(2), foundAt: later.occurredAt },
        legalStatus: {
          code: 'citizen_returned',
          reviewId: reviewId(1),
          foundAt: baseline.occurredAt,
        },
      });
    });

    it('takes a review recorded late at its own date', () => {
      const recent = review(1, '2026-04-10T00:00:00.000Z', { work: 'employed' });
      const recordedLate = review(2, '2026-01-10T00:00:00.000Z', { work: 'not_seeking' });
      expect(situationOf([recent, recordedLate]).work?.code).toBe('employed');
    });
  });

  describe('given corrections', () => {
    it('forgets a retracted review and counts an amended one with its new answers', () => {
      const first = review(1, '2026-01-10T00:00:00.000Z', { housing: 'homeless' });
      const second = review(2, '2026-04-10T00:00:00.000Z', { housing: 'stable_own' });
      const retraction: StoredEvent = {
        type: 'EventRetracted',
        data: { retractedEventId: second.eventId, reasonCode: 'recorded-in-error' },
        eventId: '01936d8e-0000-7000-8000-0000000000e1',
        occurredAt: '2026-04-11T00:00:00.000Z',
      };
      expect(situationOf([first, second, retraction]).housing?.code).toBe('homeless');
      const amendment: StoredEvent = {
        type: 'EventAmended',
        data: {
          amendedEventId: first.eventId,
          reasonCode: 'data-entry-error',
          replacement: { ...first.data, situation: { housing: 'stable_family' } },
        },
        eventId: '01936d8e-0000-7000-8000-0000000000e2',
        occurredAt: '2026-04-12T00:00:00.000Z',
      };
      expect(situationOf([first, second, retraction, amendment]).housing?.code).toBe(
        'stable_family',
      );
    });
  });
});
