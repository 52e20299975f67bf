import type { Category, ErasureService } from '@waypoint/contracts';
import type { ErasureState, RequestedErasure } from './state.js';

/** What the workflow does next with a request. */
export type NextStep =
  | { readonly kind: 'wait_for'; readonly services: readonly ErasureService[] }
  | { readonly kind: 'destroy_keys'; readonly categories: readonly Category[] }
  | { readonly kind: 'resume_needed' }
  | { readonly kind: 'none' };

export function nextStep(state: ErasureState): NextStep {
  if (state.status === 'none' || state.status === 'completed') return { kind: 'none' };
  if (state.status === 'blocked') return { kind: 'resume_needed' };
  if (state.status === 'keys_destroyed') return { kind: 'none' };
  const missing = unconfirmed(state);
  return missing.length > 0
    ? { kind: 'wait_for', services: missing }
    : { kind: 'destroy_keys', categories: state.request.categories };
}

export function unconfirmed(state: RequestedErasure): ErasureService[] {
  const done = new Set(state.confirmations.map((confirmation) => confirmation.service));
  return state.request.services.filter((service) => !done.has(service));
}
