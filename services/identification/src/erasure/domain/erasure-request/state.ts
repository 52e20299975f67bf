import type { Category, ErasureEventData, ErasureService } from '@waypoint/contracts';
import type { ActiveHold } from '../legal-hold/state.js';

export type ErasureStatus = 'awaiting_confirmations' | 'blocked' | 'keys_destroyed' | 'completed';

export interface Confirmation {
  readonly service: ErasureService;
  readonly outcome: ErasureEventData<'ErasureServiceConfirmed'>['outcome'];
  readonly cacheEntriesEvicted: number;
}

export type ErasureState =
  | { readonly status: 'none' }
  | {
      readonly status: ErasureStatus;
      readonly request: ErasureEventData<'ErasureRequested'>;
      readonly confirmations: readonly Confirmation[];
      /** The holds that blocked it last; empty once resumed. */
      readonly blockedBy: readonly ActiveHold[];
      readonly destroyed: readonly Category[];
    };

export type RequestedErasure = Extract<ErasureState, { request: unknown }>;

export const initialState = (): ErasureState => ({ status: 'none' });
