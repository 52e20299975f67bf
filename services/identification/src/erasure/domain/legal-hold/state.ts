import type { Category, LegalHoldBasis } from '@waypoint/contracts';

/** A hold in force: what the erasure workflow checks before it destroys a key. */
export interface ActiveHold {
  readonly holdId: string;
  readonly basis: LegalHoldBasis;
  readonly categories: readonly Category[];
}

/** The holds ever placed on one person (`legalhold-<personId>`), lifted ones included. */
export interface LegalHoldState {
  readonly holds: readonly (ActiveHold & { readonly lifted: boolean })[];
}

export const initialState = (): LegalHoldState => ({ holds: [] });

export function activeHolds(state: LegalHoldState): ActiveHold[] {
  return state.holds
    .filter((hold) => !hold.lifted)
    .map(({ holdId, basis, categories }) => ({ holdId, basis, categories }));
}

/** The holds in force that cover at least one of `categories`. */
export function holdsCovering(
  holds: readonly ActiveHold[],
  categories: readonly Category[],
): ActiveHold[] {
  return holds.filter((hold) => hold.categories.some((category) => categories.includes(category)));
}
