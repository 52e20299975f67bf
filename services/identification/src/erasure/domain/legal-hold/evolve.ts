import type { LegalHoldEvent } from '@waypoint/contracts';
import type { LegalHoldState } from './state.js';

export function evolve(state: LegalHoldState, event: LegalHoldEvent): LegalHoldState {
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
