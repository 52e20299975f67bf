import {
  daysBetween,
  effectiveEntries,
  isEncryptedField,
  legalFamily,
  type legalEventData,
  type EncryptedField,
  type LegalEventData,
} from '@waypoint/contracts';
import type { RecordedEvent } from '@waypoint/eventstore';
import { sealedFrom, type Sealed } from '@waypoint/privacy';

/** Stored data as a read model keeps it: every encrypted value wrapped with its event id. */
export type SealedData<T> = T extends EncryptedField
  ? Sealed
  : T extends readonly (infer Item)[]
    ? SealedData<Item>[]
    : T extends object
      ? { [Key in keyof T]: SealedData<T[Key]> }
      : T;

type Entry<Type extends keyof typeof legalEventData> = SealedData<LegalEventData<Type>> & {
  readonly eventId: string;
  readonly recordedAt: string;
};
type Personal = SealedData<LegalEventData<'RecoveryReflectionPeriodGranted'>['reference']>;

function sealData<T>(value: T, eventId: string): SealedData<T> {
  const walk = (item: unknown): unknown => {
    if (isEncryptedField(item)) return sealedFrom(item, eventId, isEncryptedField);
    if (Array.isArray(item)) return item.map(walk);
    if (typeof item === 'object' && item !== null)
      return Object.fromEntries(Object.entries(item).map(([key, inner]) => [key, walk(inner)]));
    return item;
  };
  return walk(value) as SealedData<T>;
}

export interface ReflectionPeriod {
  readonly periodId: string;
  readonly grantedBy: SealedData<LegalEventData<'RecoveryReflectionPeriodGranted'>['actingBody']>;
  readonly grantedOn: string;
  readonly start: string;
  readonly end: string;
  /** Days from start to end, as granted. */
  readonly days: number;
  readonly endedOn: string | undefined;
  readonly endReason: string | undefined;
  /** Where the period stands on the day of the read. */
  readonly status: 'upcoming' | 'running' | 'elapsed' | 'ended';
  readonly reference: Personal;
  readonly notes: Personal;
  readonly eventId: string;
}

type Claim<Type extends 'CompensationClaimed' | 'CompensationClaimFiled'> = Entry<Type> & {
  readonly filedThroughWaypoint: boolean;
};

export interface LegalView {
  journeyId: string;
  /** The legal stream's revision, or null when nothing was recorded yet. */
  revision: number | null;
  reflectionPeriod: ReflectionPeriod | undefined;
  reflectionPeriods: ReflectionPeriod[];
  removalOrders: (Entry<'RemovalOrderIssued'> & { enforced: boolean })[];
  removals: Entry<'RemovalEnforced'>[];
  detentions: (Entry<'DetentionStarted'> & { endedOn: string | undefined })[];
  residencePermits: Entry<'ResidencePermitDecided'>[];
  protectionClaims: (Entry<'InternationalProtectionClaimLodged'> & {
    decisions: Entry<'InternationalProtectionClaimDecided'>[];
    status: 'pending' | 'decided';
  })[];
  legalAid: Entry<'LegalAidAssigned'>[];
  legalAidWaivers: Entry<'LegalAidWaived'>[];
  interviews: Entry<'InterviewConducted'>[];
  charges: (Entry<'CriminalChargeFiled'> & {
    decisions: Entry<'ProsecutionDecided'>[];
    status: 'pending' | 'concluded';
  })[];
  penalties: Entry<'PenaltyImposed'>[];
  cooperation: Entry<'CooperationStatusChanged'> | undefined;
  compensationClaims: ((Claim<'CompensationClaimed'> | Claim<'CompensationClaimFiled'>) & {
    decisions: Entry<'CompensationDecided'>[];
    payments: Entry<'CompensationPaid'>[];
    status: 'pending' | 'awaiting_payment' | 'paid' | 'closed';
  })[];
  /** What is still open: proceedings, claims, orders not enforced, detention not ended. */
  pending: {
    charges: string[];
    protectionClaims: string[];
    compensationClaims: string[];
    removalOrders: string[];
    detentions: string[];
  };
  corrections: {
    kind: 'retraction' | 'amendment';
    eventId: string;
    targetEventId: string;
    reasonCode: string;
    recordedAt: string;
  }[];
}

const CONCLUDING = new Set([
  'not_prosecuted',
  'discontinued',
  'acquitted',
  'convicted_without_penalty',
]);

function periodStatus(
  period: { start: string; end: string; endedOn: string | undefined },
  today: string,
): ReflectionPeriod['status'] {
  if (period.endedOn !== undefined) return 'ended';
  if (today < period.start) return 'upcoming';
  return today > period.end ? 'elapsed' : 'running';
}

function emptyView(journeyId: string): LegalView {
  return {
    journeyId,
    revision: null,
    reflectionPeriod: undefined,
    reflectionPeriods: [],
    removalOrders: [],
    removals: [],
    detentions: [],
    residencePermits: [],
    protectionClaims: [],
    legalAid: [],
    legalAidWaivers: [],
    interviews: [],
    charges: [],
    penalties: [],
    cooperation: undefined,
    compensationClaims: [],
    pending: {
      charges: [],
      protectionClaims: [],
      compensationClaims: [],
      removalOrders: [],
      detentions: [],
    },
    corrections: [],
  };
}

/**
 * The journey's legal status, folded from the effective events (corrections applied), as of
 * `today`. Personal values stay sealed here; they are revealed per reader.
 */
export function legalView(
  journeyId: string,
  events: readonly RecordedEvent[],
  today: string,
): LegalView {
  const view = emptyView(journeyId);
  const entries = events.map((recorded) => ({
    eventId: recorded.id,
    event: { ...legalFamily.decode(recorded), recorded },
  }));
  const periods: (Omit<ReflectionPeriod, 'status'> & { status?: undefined })[] = [];
  for (const { eventId, event, dataEventId } of effectiveEntries(entries)) {
    const recordedAt = event.recorded.metadata.recordedAt;
    const meta = { eventId, recordedAt };
    switch (event.type) {
      case 'RecoveryReflectionPeriodGranted': {
        const data = sealData(event.data, dataEventId);
        periods.push({
          periodId: data.periodId,
          grantedBy: data.actingBody,
          grantedOn: data.occurredOn,
          start: data.start,
          end: data.end,
          days: daysBetween(data.start, data.end),
          endedOn: undefined,
          endReason: undefined,
          reference: data.reference,
          notes: data.notes,
          eventId,
        });
        break;
      }
      case 'RecoveryReflectionPeriodEnded': {
        const index = periods.findIndex((period) => period.periodId === event.data.periodId);
        const period = periods[index];
        if (period)
          periods[index] = {
            ...period,
            endedOn: event.data.occurredOn,
            endReason: event.data.reason,
          };
        break;
      }
      case 'RemovalOrderIssued':
        view.removalOrders.push({ ...sealData(event.data, dataEventId), ...meta, enforced: false });
        break;
      case 'RemovalEnforced': {
        view.removals.push({ ...sealData(event.data, dataEventId), ...meta });
        const order = view.removalOrders.find((item) => item.orderId === event.data.orderId);
        if (order) order.enforced = true;
        break;
      }
      case 'DetentionStarted':
        view.detentions.push({ ...sealData(event.data, dataEventId), ...meta, endedOn: undefined });
        break;
      case 'DetentionEnded': {
        const detention = view.detentions.find(
          (item) => item.detentionId === event.data.detentionId,
        );
        if (detention) detention.endedOn = event.data.occurredOn;
        break;
      }
      case 'ResidencePermitDecided':
        view.residencePermits.push({ ...sealData(event.data, dataEventId), ...meta });
        break;
      case 'InternationalProtectionClaimLodged':
        view.protectionClaims.push({
          ...sealData(event.data, dataEventId),
          ...meta,
          decisions: [],
          status: 'pending',
        });
        break;
      case 'InternationalProtectionClaimDecided': {
        const claim = view.protectionClaims.find((item) => item.claimId === event.data.claimId);
        claim?.decisions.push({ ...sealData(event.data, dataEventId), ...meta });
        if (claim) claim.status = 'decided';
        break;
      }
      case 'LegalAidAssigned':
        view.legalAid.push({ ...sealData(event.data, dataEventId), ...meta });
        break;
      case 'LegalAidWaived':
        view.legalAidWaivers.push({ ...sealData(event.data, dataEventId), ...meta });
        break;
      case 'InterviewConducted':
        view.interviews.push({ ...sealData(event.data, dataEventId), ...meta });
        break;
      case 'CriminalChargeFiled':
        view.charges.push({
          ...sealData(event.data, dataEventId),
          ...meta,
          decisions: [],
          status: 'pending',
        });
        break;
      case 'ProsecutionDecided': {
        const charge = view.charges.find((item) => item.chargeId === event.data.chargeId);
        charge?.decisions.push({ ...sealData(event.data, dataEventId), ...meta });
        if (charge) charge.status = CONCLUDING.has(event.data.outcome) ? 'concluded' : 'pending';
        break;
      }
      case 'PenaltyImposed': {
        view.penalties.push({ ...sealData(event.data, dataEventId), ...meta });
        const charge = view.charges.find((item) => item.chargeId === event.data.chargeId);
        if (charge) charge.status = 'concluded';
        break;
      }
      case 'CooperationStatusChanged':
        view.cooperation = { ...sealData(event.data, dataEventId), ...meta };
        break;
      case 'CompensationClaimed':
      case 'CompensationClaimFiled':
        view.compensationClaims.push({
          ...sealData(event.data, dataEventId),
          ...meta,
          filedThroughWaypoint: event.type === 'CompensationClaimFiled',
          decisions: [],
          payments: [],
          status: 'pending',
        });
        break;
      case 'CompensationDecided': {
        const claim = view.compensationClaims.find((item) => item.claimId === event.data.claimId);
        if (!claim) break;
        claim.decisions.push({ ...sealData(event.data, dataEventId), ...meta });
        const awarded = ['awarded', 'partially_awarded', 'settled'].includes(event.data.outcome);
        if (claim.status !== 'paid') claim.status = awarded ? 'awaiting_payment' : 'closed';
        break;
      }
      case 'CompensationPaid': {
        const claim = view.compensationClaims.find((item) => item.claimId === event.data.claimId);
        if (!claim) break;
        claim.payments.push({ ...sealData(event.data, dataEventId), ...meta });
        if (event.data.final) claim.status = 'paid';
        break;
      }
      case 'EventRetracted':
      case 'EventAmended':
        break;
    }
  }
  view.reflectionPeriods = periods.map((period) => ({
    ...period,
    status: periodStatus(period, today),
  }));
  view.reflectionPeriod = view.reflectionPeriods[view.reflectionPeriods.length - 1];
  view.pending = {
    charges: view.charges.filter((item) => item.status === 'pending').map((item) => item.chargeId),
    protectionClaims: view.protectionClaims
      .filter((item) => item.status === 'pending')
      .map((item) => item.claimId),
    compensationClaims: view.compensationClaims
      .filter((item) => item.status === 'pending' || item.status === 'awaiting_payment')
      .map((item) => item.claimId),
    removalOrders: view.removalOrders.filter((item) => !item.enforced).map((item) => item.orderId),
    detentions: view.detentions
      .filter((item) => item.endedOn === undefined)
      .map((item) => item.detentionId),
  };
  for (const { event } of entries) {
    const recordedAt = event.recorded.metadata.recordedAt;
    if (event.type === 'EventRetracted')
      view.corrections.push({
        kind: 'retraction',
        eventId: event.recorded.id,
        targetEventId: event.data.retractedEventId,
        reasonCode: event.data.reasonCode,
        recordedAt,
      });
    else if (event.type === 'EventAmended')
      view.corrections.push({
        kind: 'amendment',
        eventId: event.recorded.id,
        targetEventId: event.data.amendedEventId,
        reasonCode: event.data.reasonCode,
        recordedAt,
      });
  }
  view.revision = events[events.length - 1]?.revision ?? null;
  return view;
}
