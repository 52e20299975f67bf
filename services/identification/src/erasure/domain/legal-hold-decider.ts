import type {
  Category,
  LEGAL_HOLD_LIFT_REASONS,
  LegalHoldBasis,
  LegalHoldEvent,
} from '@waypoint/contracts';
import { DomainError, type Decider } from '@waypoint/decider';

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

export type LegalHoldCommand =
  | {
      readonly type: 'PlaceLegalHold';
      readonly holdId: string;
      readonly personId: string;
      readonly basis: LegalHoldBasis;
      readonly categories: readonly Category[];
    }
  | {
      readonly type: 'LiftLegalHold';
      readonly holdId: string;
      readonly personId: string;
      readonly reasonCode: (typeof LEGAL_HOLD_LIFT_REASONS)[number];
    };

function decide(command: LegalHoldCommand, state: LegalHoldState): LegalHoldEvent[] {
  const existing = state.holds.find((hold) => hold.holdId === command.holdId);
  switch (command.type) {
    case 'PlaceLegalHold':
      if (existing) {
        throw new DomainError('LEGAL_HOLD_EXISTS', 'This hold id is taken', 'conflict', 'holdId');
      }
      return [
        {
          type: 'LegalHoldPlaced',
          data: {
            holdId: command.holdId,
            personId: command.personId,
            basis: command.basis,
            categories: [...new Set(command.categories)],
          },
        },
      ];
    case 'LiftLegalHold':
      if (!existing) {
        throw new DomainError(
          'LEGAL_HOLD_NOT_FOUND',
          'No such legal hold on this person',
          'not_found',
        );
      }
      if (existing.lifted) {
        throw new DomainError(
          'LEGAL_HOLD_ALREADY_LIFTED',
          `Legal hold ${existing.holdId} was already lifted`,
          'conflict',
        );
      }
      return [
        {
          type: 'LegalHoldLifted',
          data: {
            holdId: command.holdId,
            personId: command.personId,
            reasonCode: command.reasonCode,
          },
        },
      ];
  }
}

function evolve(state: LegalHoldState, event: LegalHoldEvent): LegalHoldState {
  switch (event.type) {
    case 'LegalHoldPlaced':
      return {
        holds: [
          ...state.holds,
          {
            holdId: event.data.holdId,
            basis: event.data.basis,
            categories: event.data.categories,
            lifted: false,
          },
        ],
      };
    case 'LegalHoldLifted':
      return {
        holds: state.holds.map((hold) =>
          hold.holdId === event.data.holdId ? { ...hold, lifted: true } : hold,
        ),
      };
  }
}

export const legalHoldDecider: Decider<LegalHoldCommand, LegalHoldEvent, LegalHoldState> = {
  decide,
  evolve,
  initialState: () => ({ holds: [] }),
};

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
