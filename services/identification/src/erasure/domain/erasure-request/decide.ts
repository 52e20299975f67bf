import {
  LEGAL_HOLD_BASIS_CITATIONS,
  type ErasureEvent,
  type ErasureEventData,
} from '@waypoint/contracts';
import { DomainError } from '@waypoint/decider';
import { holdsCovering, type ActiveHold } from '../legal-hold/state.js';
import type { ErasureCommand } from './commands.js';
import { nextStep } from './next-step.js';
import type { ErasureState, RequestedErasure } from './state.js';

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

export function decide(command: ErasureCommand, state: ErasureState): ErasureEvent[] {
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
