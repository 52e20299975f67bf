import type {
  ReintegrationEvent,
  ReintegrationEventData,
  ReviewSituation,
} from '@waypoint/contracts';
import type { Fact } from '@waypoint/projections';

type Scores = ReintegrationEventData<'ReintegrationReviewCompleted'>['scores'];

/** A journey's reintegration reviews: the plan, the last review (scores, situation), what is next. */
export interface ReviewSchedule {
  readonly journeyId: string;
  status: 'open' | 'closed';
  /** The latest plan. */
  plan: {
    planId: string;
    setting: string;
    supportAreas: string[];
    firstReviewDue: string;
    createdAt: string;
  } | null;
  reviews: number;
  lastReview: {
    reviewId: string;
    method: string;
    reviewedAt: string;
    scores: Scores;
    /** The situation it found (codes), or null when it recorded none. */
    situation: ReviewSituation | null;
    nextReviewDue: string | null;
  } | null;
}

/**
 * A reintegration fact as the schedule keeps it: the codes, scores and dates of its type, nothing
 * more (no goal, no review note). `reviewCodes` makes them; `evolveReviews` reads them.
 */
export type ReviewFact = Fact &
  (
    | {
        readonly type: 'ReintegrationPlanCreated';
        readonly data: {
          planId: string;
          setting: string;
          supportAreas: string[];
          firstReviewDue: string;
        };
      }
    | {
        readonly type: 'ReintegrationReviewCompleted';
        readonly data: {
          reviewId: string;
          method: string;
          scores: Scores;
          situation: ReviewSituation | null;
          nextReviewDue: string | null;
        };
      }
    | { readonly type: 'JourneyClosed'; readonly data: { reason: string } }
  );

type Kept = Pick<ReviewFact, 'type' | 'data'>;

/** The codes the schedule needs from a reintegration event; undefined for the others. */
export function reviewCodes(event: ReintegrationEvent): Kept | undefined {
  switch (event.type) {
    case 'ReintegrationPlanCreated': {
      const { planId, setting, supportAreas, firstReviewDue } = event.data;
      return { type: event.type, data: { planId, setting, supportAreas, firstReviewDue } };
    }
    case 'ReintegrationReviewCompleted': {
      const { reviewId, method, scores, situation, nextReviewDue } = event.data;
      return {
        type: event.type,
        data: {
          reviewId,
          method,
          scores,
          situation: situation ?? null,
          nextReviewDue: nextReviewDue ?? null,
        },
      };
    }
    case 'JourneyClosed':
      return { type: event.type, data: { reason: event.data.reason } };
    default:
      return undefined;
  }
}

export const noReviews = (journeyId: string): ReviewSchedule => ({
  journeyId,
  status: 'open',
  plan: null,
  reviews: 0,
  lastReview: null,
});

/** Folds one fact, as the reintegration summary does (corrections already applied). */
export function evolveReviews(state: ReviewSchedule, fact: ReviewFact): ReviewSchedule {
  switch (fact.type) {
    case 'ReintegrationPlanCreated': {
      const { planId, setting, supportAreas, firstReviewDue } = fact.data;
      return {
        ...state,
        plan: { planId, setting, supportAreas, firstReviewDue, createdAt: fact.occurredAt },
      };
    }
    case 'ReintegrationReviewCompleted': {
      const { reviewId, method, scores, situation, nextReviewDue } = fact.data;
      return {
        ...state,
        reviews: state.reviews + 1,
        lastReview: {
          reviewId,
          method,
          reviewedAt: fact.occurredAt,
          scores,
          situation,
          nextReviewDue,
        },
      };
    }
    case 'JourneyClosed':
      return { ...state, status: 'closed' };
    default:
      return state;
  }
}

/**
 * When the next review is due: the day the last review set, or else the plan's first review;
 * none once the journey is closed or the last review planned no further one.
 */
export function nextReviewDue(state: ReviewSchedule): string | null {
  if (state.status === 'closed') return null;
  if (state.lastReview) return state.lastReview.nextReviewDue;
  return state.plan?.firstReviewDue ?? null;
}
