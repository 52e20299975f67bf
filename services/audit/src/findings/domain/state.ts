/** Where a finding's review stands: a flag may be acknowledged, then dismissed; a breach stays open. */
export type ReviewStatus = 'open' | 'acknowledged' | 'dismissed';

/**
 * The review status of every finding of a journey reviewed so far, by finding key, from the
 * journey's audit stream. A finding nobody reviewed is open.
 */
export interface FindingReviews {
  readonly statuses: ReadonlyMap<string, ReviewStatus>;
}

export const initialState = (): FindingReviews => ({ statuses: new Map() });

export function statusOf(state: FindingReviews, findingKey: string): ReviewStatus {
  return state.statuses.get(findingKey) ?? 'open';
}
