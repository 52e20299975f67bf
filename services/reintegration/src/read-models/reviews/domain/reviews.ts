import type { ReintegrationEventData, ReviewSituation } from '@waypoint/contracts';
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

type Codes = Record<string, unknown>;

/** The codes the schedule needs from a reintegration event; undefined for the others. */
export function reviewCodes(type: string, data: unknown): Codes | undefined {
  switch (type) {
    case 'ReintegrationPlanCreated': {
      const plan = data as ReintegrationEventData<'ReintegrationPlanCreated'>;
      return {
        planId: plan.planId,
        setting: plan.setting,
        supportAreas: plan.supportAreas,
        firstReviewDue: plan.firstReviewDue,
      };
    }
    case 'ReintegrationReviewCompleted': {
      const review = data as ReintegrationEventData<'ReintegrationReviewCompleted'>;
      return {
        reviewId: review.reviewId,
        method: review.method,
        scores: review.scores,
        situation: review.situation ?? null,
        nextReviewDue: review.nextReviewDue ?? null,
      };
    }
    case 'JourneyClosed':
      return { reason: (data as ReintegrationEventData<'JourneyClosed'>).reason };
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
export function evolveReviews(state: ReviewSchedule, fact: Fact): ReviewSchedule {
  const codes = fact.data;
  switch (fact.type) {
    case 'ReintegrationPlanCreated':
      return {
        ...state,
        plan: {
          planId: codes['planId'] as string,
          setting: codes['setting'] as string,
          supportAreas: codes['supportAreas'] as string[],
          firstReviewDue: codes['firstReviewDue'] as string,
          createdAt: fact.occurredAt,
        },
      };
    case 'ReintegrationReviewCompleted':
      return {
        ...state,
        reviews: state.reviews + 1,
        lastReview: {
          reviewId: codes['reviewId'] as string,
          method: codes['method'] as string,
          reviewedAt: fact.occurredAt,
          scores: codes['scores'] as Scores,
          situation: (codes['situation'] as ReviewSituation | null | undefined) ?? null,
          nextReviewDue: codes['nextReviewDue'] as string | null,
        },
      };
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
