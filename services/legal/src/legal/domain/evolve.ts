import { effectiveEvents } from '@waypoint/contracts';
import { historyToArray } from '@waypoint/decider';
import {
  emptyRecord,
  initialState,
  type LegalRecord,
  type LegalState,
  type LegalStreamEvent,
} from './state.js';

const withEntry = <Value>(
  map: ReadonlyMap<string, Value>,
  key: string,
  value: Value,
): ReadonlyMap<string, Value> => new Map(map).set(key, value);

const withMember = (set: ReadonlySet<string>, key: string): ReadonlySet<string> =>
  new Set(set).add(key);

/** The effect of one event that is not a correction. */
function apply(record: LegalRecord, event: LegalStreamEvent): LegalRecord {
  switch (event.type) {
    case 'RecoveryReflectionPeriodGranted':
      return {
        ...record,
        periods: withEntry(record.periods, event.data.periodId, { ended: false }),
      };
    case 'RecoveryReflectionPeriodEnded':
      return {
        ...record,
        periods: withEntry(record.periods, event.data.periodId, { ended: true }),
      };
    case 'RemovalOrderIssued':
      return {
        ...record,
        orders: withEntry(record.orders, event.data.orderId, { enforced: false }),
      };
    case 'RemovalEnforced':
      return event.data.orderId === undefined
        ? record
        : { ...record, orders: withEntry(record.orders, event.data.orderId, { enforced: true }) };
    case 'DetentionStarted':
      return {
        ...record,
        detentions: withEntry(record.detentions, event.data.detentionId, { ended: false }),
      };
    case 'DetentionEnded':
      return {
        ...record,
        detentions: withEntry(record.detentions, event.data.detentionId, { ended: true }),
      };
    case 'InternationalProtectionClaimLodged':
      return {
        ...record,
        protectionClaims: withMember(record.protectionClaims, event.data.claimId),
      };
    case 'CriminalChargeFiled':
      return { ...record, charges: withMember(record.charges, event.data.chargeId) };
    case 'CompensationClaimed':
    case 'CompensationClaimFiled':
      return {
        ...record,
        compensationClaims: withMember(record.compensationClaims, event.data.claimId),
      };
    default:
      return record;
  }
}

/**
 * Folds one event. A correction changes the meaning of history, so the record is rebuilt from
 * the effective events; every other event applies incrementally.
 */
export function evolve(state: LegalState, event: LegalStreamEvent): LegalState {
  const record = state.status === 'recording' ? state : emptyRecord();
  const history = { entry: { eventId: event.eventId ?? '', event }, earlier: record.history };
  if (event.type === 'EventRetracted' || event.type === 'EventAmended') {
    const rebuilt = effectiveEvents(historyToArray(history)).reduce(apply, emptyRecord());
    return { ...rebuilt, history };
  }
  return { ...apply(record, event), history };
}

export { initialState };
