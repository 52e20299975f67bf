import type { ErasureEventData } from '@waypoint/contracts';
import type { ActiveHold } from '../legal-hold/state.js';
import type { Confirmation } from './state.js';

export type ErasureCommand =
  | {
      readonly type: 'RequestErasure';
      readonly request: ErasureEventData<'ErasureRequested'>;
      /** The person's holds in force when the request is decided. */
      readonly holds: readonly ActiveHold[];
    }
  | { readonly type: 'ResumeErasure'; readonly holds: readonly ActiveHold[] }
  | { readonly type: 'ConfirmErasure'; readonly confirmation: Confirmation }
  /** Before the keys go: a hold placed since the request blocks it now. */
  | { readonly type: 'CheckHolds'; readonly holds: readonly ActiveHold[] }
  | {
      readonly type: 'RecordKeysDestroyed';
      readonly destructions: ErasureEventData<'PersonKeysDestroyed'>['destructions'];
    };
