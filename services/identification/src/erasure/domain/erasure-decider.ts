import {
  LEGAL_HOLD_BASIS_CITATIONS,
  type Category,
  type ErasureEvent,
  type ErasureEventData,
  type ErasureService,
} from '@waypoint/contracts';
import { DomainError, type Decider } from '@waypoint/decider';
import { holdsCovering, type ActiveHold } from './legal-hold-decider.js';

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

/** The refusal a hold causes, naming each hold and its basis (never personal data). */
export function underHold(requestId: string, holds: readonly ActiveHold[]): DomainError {
  const named = holds
    .map(
      (hold) =>
        `legal hold ${hold.holdId} (${hold.basis}, ${LEGAL_HOLD_BASIS_CITATIONS[hold.basis]}) covers ${hold.categories.join(', ')}`,
    )
    .join('; ');
  return new DomainError(
    'ERASURE_UNDER_LEGAL_HOLD',
    `Erasure request ${requestId} is blocked: ${named}. Lift the hold, then resume the request.`,
    'conflict',
    'categories',
  );
}

function blocked(
  request: ErasureEventData<'ErasureRequested'>,
  holds: readonly ActiveHold[],
): ErasureEvent {
  return {
    type: 'ErasureBlocked',
    data: {
      requestId: request.requestId,
      personId: request.personId,
      holds: holds.map(({ holdId, basis, categories }) => ({
        holdId,
        basis,
        categories: [...categories],
      })),
      blockedCategories: request.categories.filter((category) =>
        holds.some((hold) => hold.categories.includes(category)),
      ),
    },
  };
}

function requested(state: ErasureState): RequestedErasure {
  if (state.status === 'none') {
    throw new DomainError('ERASURE_REQUEST_NOT_FOUND', 'No such erasure request', 'not_found');
  }
  return state;
}

function decide(command: ErasureCommand, state: ErasureState): ErasureEvent[] {
  switch (command.type) {
    case 'RequestErasure': {
      if (state.status !== 'none') {
        throw new DomainError(
          'ERASURE_REQUEST_EXISTS',
          'This erasure request id is taken',
          'conflict',
          'requestId',
        );
      }
      const events: ErasureEvent[] = [{ type: 'ErasureRequested', data: command.request }];
      const holds = holdsCovering(command.holds, command.request.categories);
      return holds.length > 0 ? [...events, blocked(command.request, holds)] : events;
    }
    case 'ResumeErasure': {
      const current = requested(state);
      if (current.status !== 'blocked') {
        throw new DomainError(
          'ERASURE_NOT_BLOCKED',
          `Erasure request ${current.request.requestId} is not blocked (it is ${current.status})`,
          'conflict',
        );
      }
      const holds = holdsCovering(command.holds, current.request.categories);
      if (holds.length > 0) throw underHold(current.request.requestId, holds);
      return [
        {
          type: 'ErasureResumed',
          data: { requestId: current.request.requestId, personId: current.request.personId },
        },
      ];
    }
    case 'ConfirmErasure': {
      const current = requested(state);
      const { service } = command.confirmation;
      if (!current.request.services.includes(service)) {
        throw new DomainError(
          'ERASURE_SERVICE_NOT_EXPECTED',
          `Erasure request ${current.request.requestId} does not wait for the ${service} service`,
          'conflict',
          'service',
        );
      }
      // A confirmation repeated (a retry, a restarted service) or arriving late changes nothing.
      if (current.confirmations.some((confirmation) => confirmation.service === service)) return [];
      if (current.status === 'keys_destroyed' || current.status === 'completed') return [];
      return [
        {
          type: 'ErasureServiceConfirmed',
          data: {
            requestId: current.request.requestId,
            personId: current.request.personId,
            ...command.confirmation,
          },
        },
      ];
    }
    case 'CheckHolds': {
      const current = requested(state);
      if (current.status !== 'awaiting_confirmations') return [];
      const holds = holdsCovering(command.holds, current.request.categories);
      return holds.length > 0 ? [blocked(current.request, holds)] : [];
    }
    case 'RecordKeysDestroyed': {
      const current = requested(state);
      if (current.status === 'completed') return [];
      const step = nextStep(current);
      if (step.kind !== 'destroy_keys') {
        throw new DomainError(
          'ERASURE_NOT_READY',
          step.kind === 'wait_for'
            ? `Erasure request ${current.request.requestId} still waits for: ${step.services.join(', ')}`
            : `Erasure request ${current.request.requestId} is ${current.status}`,
          'conflict',
        );
      }
      const destroyed = new Set(command.destructions.map((entry) => entry.category));
      const missing = current.request.categories.filter((category) => !destroyed.has(category));
      if (missing.length > 0) {
        throw new DomainError(
          'ERASURE_KEYS_MISSING',
          `The keys of ${missing.join(', ')} were not destroyed`,
          'precondition',
          'destructions',
        );
      }
      const ids = { requestId: current.request.requestId, personId: current.request.personId };
      return [
        {
          type: 'PersonKeysDestroyed',
          data: { ...ids, destructions: [...command.destructions] },
        },
        {
          type: 'ErasureCompleted',
          data: {
            ...ids,
            categories: [...current.request.categories],
            searchIndexRemoved: current.request.categories.includes('identity'),
          },
        },
      ];
    }
  }
}

function evolve(state: ErasureState, event: ErasureEvent): ErasureState {
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

export const erasureDecider: Decider<ErasureCommand, ErasureEvent, ErasureState> = {
  decide,
  evolve,
  initialState: () => ({ status: 'none' }),
};
