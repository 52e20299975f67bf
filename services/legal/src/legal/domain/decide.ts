import {
  addDays,
  legalEventData,
  utcDate,
  type HistoryEntry,
  type LegalEvent,
} from '@waypoint/contracts';
import { decideCorrection, DomainError, type CorrectionRules } from '@waypoint/decider';
import { validConsent } from '@waypoint/journey-facts';
import type { FactEvent, LegalCommand } from './commands.js';
import { emptyRecord, type LegalRecord, type LegalState, type LegalStreamEvent } from './state.js';

const notFound = (code: string, what: string, field: string): DomainError =>
  new DomainError(code, `No such ${what} on this journey`, 'not_found', field);

/**
 * A fact cannot have happened after it is recorded. The day is compared with a day of slack, so
 * that a body acting in a time zone ahead of UTC is not refused.
 */
function assertNotInFuture(occurredOn: string, now: string): void {
  const latest = addDays(utcDate(now), 1);
  if (occurredOn > latest)
    throw new DomainError(
      'OCCURRED_IN_FUTURE',
      'A recorded fact cannot have happened after it is recorded',
      'precondition',
      'occurredOn',
    );
}

/**
 * Facts are accepted when well formed: what they refer to must be on record (a period that ends,
 * an order enforced, a charge decided), and something that ended cannot end again. Whether the
 * fact was lawful is never checked here.
 */
function checkReferences(record: LegalRecord, event: FactEvent): void {
  switch (event.type) {
    case 'RecoveryReflectionPeriodEnded': {
      const period = record.periods.get(event.data.periodId);
      if (!period) throw notFound('REFLECTION_PERIOD_NOT_FOUND', 'reflection period', 'periodId');
      if (period.ended)
        throw new DomainError(
          'REFLECTION_PERIOD_ALREADY_ENDED',
          'This reflection period was already recorded as ended',
          'conflict',
          'periodId',
        );
      return;
    }
    case 'RemovalEnforced': {
      if (event.data.orderId === undefined) return;
      const order = record.orders.get(event.data.orderId);
      if (!order) throw notFound('REMOVAL_ORDER_NOT_FOUND', 'removal order', 'orderId');
      if (order.enforced)
        throw new DomainError(
          'REMOVAL_ORDER_ALREADY_ENFORCED',
          'This removal order was already recorded as enforced',
          'conflict',
          'orderId',
        );
      return;
    }
    case 'DetentionEnded': {
      const detention = record.detentions.get(event.data.detentionId);
      if (!detention) throw notFound('DETENTION_NOT_FOUND', 'detention', 'detentionId');
      if (detention.ended)
        throw new DomainError(
          'DETENTION_ALREADY_ENDED',
          'This detention was already recorded as ended',
          'conflict',
          'detentionId',
        );
      return;
    }
    case 'InternationalProtectionClaimDecided':
      if (!record.protectionClaims.has(event.data.claimId))
        throw notFound('PROTECTION_CLAIM_NOT_FOUND', 'international protection claim', 'claimId');
      return;
    case 'ProsecutionDecided':
      if (!record.charges.has(event.data.chargeId))
        throw notFound('CHARGE_NOT_FOUND', 'criminal charge', 'chargeId');
      return;
    case 'PenaltyImposed':
      if (event.data.chargeId !== undefined && !record.charges.has(event.data.chargeId))
        throw notFound('CHARGE_NOT_FOUND', 'criminal charge', 'chargeId');
      return;
    case 'CompensationDecided':
    case 'CompensationPaid':
      if (!record.compensationClaims.has(event.data.claimId))
        throw notFound('COMPENSATION_CLAIM_NOT_FOUND', 'compensation claim', 'claimId');
      return;
    default:
      return;
  }
}

/** The person's services consent, or the reason there is none to rely on. */
function servicesConsent(
  command: Extract<LegalCommand, { type: 'FileCompensationClaim' }>,
): string {
  const valid = validConsent(command.journey, 'services', command.now);
  if (valid) return valid.consentId;
  const recorded = command.journey.consents.filter((consent) => consent.scope === 'services');
  if (recorded.length > 0 && recorded.every((consent) => consent.withdrawn))
    throw new DomainError(
      'CONSENT_WITHDRAWN',
      "The person's services consent was withdrawn",
      'precondition',
      'consent',
    );
  if (recorded.length > 0)
    throw new DomainError(
      'CONSENT_EXPIRED',
      "The person's services consent is no longer valid",
      'precondition',
      'consent',
    );
  throw new DomainError(
    'CONSENT_REQUIRED',
    "Filing a claim needs the person's services consent, or a supervisor's override with a reason",
    'precondition',
    'consent',
  );
}

/** Filing a compensation claim is the legal advisor's decision: on consent, or overridden. */
function decideFiling(
  command: Extract<LegalCommand, { type: 'FileCompensationClaim' }>,
): LegalEvent[] {
  const { data, actor, overrideReason } = command;
  if (overrideReason !== undefined) {
    if (!actor.roles.includes('supervisor'))
      throw new DomainError(
        'OVERRIDE_REQUIRES_SUPERVISOR',
        'Only a supervisor can file without consent, recording a reason in their own name',
        'forbidden',
        'overrideReason',
      );
    return [
      {
        type: 'CompensationClaimFiled',
        data: { ...data, override: { supervisorUserId: actor.userId, reason: overrideReason } },
      },
    ];
  }
  return [
    { type: 'CompensationClaimFiled', data: { ...data, consentId: servicesConsent(command) } },
  ];
}

/**
 * An amendment keeps the id naming what its event is about. A filed claim is a decision: it is
 * retracted and filed again, so that its guard runs again.
 */
const CORRECTIONS: CorrectionRules<HistoryEntry<LegalStreamEvent>> = {
  schemas: legalEventData,
  notFound: 'No such legal event on this journey',
  namesTargetField: true,
  decisions: {
    isDecision: (type) => type === 'CompensationClaimFiled',
    message:
      'A decision is corrected by retracting it and taking it again, so that its guard runs again',
  },
  kept: [
    {
      fields: ['periodId', 'orderId', 'detentionId', 'claimId', 'chargeId'],
      code: 'AMENDMENT_CHANGES_IDENTITY',
      message: (field) => `An amendment keeps the ${field} of the event it corrects`,
    },
  ],
};

export function decide(command: LegalCommand, state: LegalState): LegalEvent[] {
  const record = state.status === 'recording' ? state : emptyRecord();
  switch (command.type) {
    case 'RecordFact':
      assertNotInFuture(command.event.data.occurredOn, command.now);
      checkReferences(record, command.event);
      return [command.event];
    case 'FileCompensationClaim':
      return decideFiling(command);
    case 'RetractEvent':
    case 'AmendEvent':
      return decideCorrection(command, record.history, CORRECTIONS);
  }
}
