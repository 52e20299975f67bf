import type { ErasureEvent } from '@waypoint/contracts';
import type { ErasureState } from './state.js';

export function evolve(state: ErasureState, event: ErasureEvent): ErasureState {
  if (event.type === 'ErasureRequested') {
    return {
      status: 'awaiting_confirmations',
      request: event.data,
      confirmations: [],
      blockedBy: [],
      destroyed: [],
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'ErasureBlocked':
      return { ...state, status: 'blocked', blockedBy: event.data.holds };
    case 'ErasureResumed':
      return { ...state, status: 'awaiting_confirmations', blockedBy: [] };
    case 'ErasureServiceConfirmed':
      return {
        ...state,
        confirmations: [
          ...state.confirmations,
          {
            service: event.data.service,
            outcome: event.data.outcome,
            cacheEntriesEvicted: event.data.cacheEntriesEvicted,
          },
        ],
      };
    case 'PersonKeysDestroyed':
      return {
        ...state,
        status: 'keys_destroyed',
        destroyed: event.data.destructions.map((entry) => entry.category),
      };
    case 'ErasureCompleted':
      return { ...state, status: 'completed' };
  }
}
