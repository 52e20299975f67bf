import { legalEventData, type LegalEvent } from '@waypoint/contracts';
import { DomainError } from '@waypoint/decider';
import { validConsent } from '@waypoint/journey-facts';
import type { FactEvent, LegalCommand } from './commands.js';
import { emptyRecord, historyToArray, type LegalRecord, type LegalState } from './state.js';

const DAY_MS = 86_400_000;

const notFound = (code: string, what: string, field: string): DomainError =>
  new DomainError(code, `No such ${what} on this journey`, 'not_found', field);

/**
 * A fact cannot have happened after it is recorded. The day is compared with a day of slack, so
 * that a body acting in a time zone ahead of UTC is not refused.
 */
function assertNotInFuture(occurredOn: string, now: string): void {
  const latest = new Date(Date.parse(now) + DAY_MS).toISOString().slice(0, 10);
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

/** The field naming what an event is about: an amendment may not change it. */
const IDENTITY_FIELDS = ['periodId', 'orderId', 'detentionId', 'claimId', 'chargeId'] as const;

function decideCorrection(
  record: LegalRecord,
  command: Extract<LegalCommand, { type: 'RetractEvent' | 'AmendEvent' }>,
): LegalEvent[] {
  const retraction = command.type === 'RetractEvent';
  const targetId = retraction ? command.data.retractedEventId : command.data.amendedEventId;
  const field = retraction ? 'retractedEventId' : 'amendedEventId';
  const history = historyToArray(record.history);
  const target = history.find((entry) => entry.eventId === targetId);
  if (!target) throw notFound('EVENT_NOT_FOUND', 'legal event', field);
  if (target.event.type === 'EventRetracted' || target.event.type === 'EventAmended')
    throw new DomainError(
      'CORRECTION_NOT_CORRECTABLE',
      'A correction is corrected by another correction of the original event',
      'precondition',
      field,
    );
  const retracted = history.some(
    ({ event }) => event.type === 'EventRetracted' && event.data.retractedEventId === targetId,
  );
  if (retracted)
    throw new DomainError(
      'EVENT_ALREADY_RETRACTED',
      'The event was already retracted',
      'conflict',
      field,
    );
  if (command.type === 'RetractEvent') return [{ type: 'EventRetracted', data: command.data }];
  if (target.event.type === 'CompensationClaimFiled')
    throw new DomainError(
      'DECISION_NOT_AMENDABLE',
      'A decision is corrected by retracting it and taking it again, so that its guard runs again',
      'precondition',
      field,
    );
  const parsed = legalEventData[target.event.type].safeParse(command.data.replacement);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DomainError(
      'AMENDMENT_INVALID',
      `The replacement is not a valid ${target.event.type}: ${issue?.message ?? ''}`,
      'precondition',
      ['replacement', ...(issue?.path ?? []).map(String)].join('.'),
    );
  }
  const original = target.event.data as Readonly<Record<string, unknown>>;
  const replacement = parsed.data as Readonly<Record<string, unknown>>;
  const changed = IDENTITY_FIELDS.find((key) => original[key] !== replacement[key]);
  if (changed !== undefined)
    throw new DomainError(
      'AMENDMENT_CHANGES_IDENTITY',
      `An amendment keeps the ${changed} of the event it corrects`,
      'precondition',
      `replacement.${changed}`,
    );
  return [{ type: 'EventAmended', data: command.data }];
}

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
      return decideCorrection(record, command);
  }
}
