import type { Category, LEGAL_HOLD_LIFT_REASONS, LegalHoldBasis } from '@waypoint/contracts';

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
