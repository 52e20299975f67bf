import type { LegalHoldEvent } from '@waypoint/contracts';
import { DomainError } from '@waypoint/decider';
import type { LegalHoldCommand } from './commands.js';
import type { LegalHoldState } from './state.js';

export function decide(command: LegalHoldCommand, state: LegalHoldState): LegalHoldEvent[] {
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
