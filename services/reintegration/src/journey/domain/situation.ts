import type { ReviewSituation } from '@waypoint/contracts';
import type { ReintegrationSummary } from './summary.js';

type Aspect = keyof ReviewSituation;
type Code<A extends Aspect> = NonNullable<ReviewSituation[A]>;

/** One aspect's latest answer, and the review that found it. */
export interface Finding<Value extends string> {
  readonly code: Value;
  readonly reviewId: string;
  readonly foundAt: string;
}

export type CurrentSituation = { readonly [A in Aspect]?: Finding<Code<A>> };

/**
 * The situation as the reviews last found it, aspect by aspect: a review that did not ask about
 * an aspect leaves the earlier answer standing. Reviews count in the order they happened (one
 * recorded late counts at its own date; on the same instant, the one recorded last wins).
 * Corrections are already applied by the summary.
 */
export function currentSituation(summary: ReintegrationSummary): CurrentSituation {
  const reviews = [...summary.reviews].sort((a, b) =>
    a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : 0,
  );
  const latestOf = <A extends Aspect>(aspect: A): Finding<Code<A>> | undefined => {
    let found: Finding<Code<A>> | undefined;
    for (const review of reviews) {
      const code = review.data.situation?.[aspect];
      if (code !== undefined)
        found = {
          code,
          reviewId: review.data.reviewId,
          foundAt: review.occurredAt,
        };
    }
    return found;
  };
  const housing = latestOf('housing');
  const work = latestOf('work');
  const school = latestOf('school');
  const feelsSafe = latestOf('feelsSafe');
  const legalStatus = latestOf('legalStatus');
  return {
    ...(housing && { housing }),
    ...(work && { work }),
    ...(school && { school }),
    ...(feelsSafe && { feelsSafe }),
    ...(legalStatus && { legalStatus }),
  };
}
