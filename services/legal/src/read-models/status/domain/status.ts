import type { LegalEventData } from '@waypoint/contracts';
import type { Fact } from '@waypoint/projections';

/** The minimum length of a recovery and reflection period, fixed in law (CETS 197 Art. 13(1)). */
export const REFLECTION_MINIMUM_DAYS = 30;

const DAY_MS = 86_400_000;

/** Whole days from one day (YYYY-MM-DD) to another. */
export const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);

export interface ReflectionPeriod {
  readonly periodId: string;
  readonly start: string;
  readonly end: string;
  /** Days from start to end, as granted. */
  readonly days: number;
  readonly grantedOn: string;
  endedOn: string | null;
  endReason: string | null;
}

/** Where a journey stands legally, in codes and days: what the status route and lists need. */
export interface LegalStatus {
  readonly journeyId: string;
  /** Every period granted, in the order recorded: the last is the one that counts now. */
  periods: ReflectionPeriod[];
  removalOrders: { orderId: string; kind: string; issuedOn: string; enforced: boolean }[];
  removals: number;
  detentions: { detentionId: string; kind: string; startedOn: string; endedOn: string | null }[];
  residencePermit: {
    outcome: string;
    grounds: string[];
    validUntil: string | null;
    decidedOn: string;
  } | null;
}

type Codes = Record<string, unknown>;

/** The codes the status needs from a legal event; undefined for events it does not follow. */
export function statusCodes(type: string, data: unknown): Codes | undefined {
  switch (type) {
    case 'RecoveryReflectionPeriodGranted': {
      const granted = data as LegalEventData<'RecoveryReflectionPeriodGranted'>;
      return {
        periodId: granted.periodId,
        start: granted.start,
        end: granted.end,
        grantedOn: granted.occurredOn,
      };
    }
    case 'RecoveryReflectionPeriodEnded': {
      const ended = data as LegalEventData<'RecoveryReflectionPeriodEnded'>;
      return { periodId: ended.periodId, endedOn: ended.occurredOn, reason: ended.reason };
    }
    case 'RemovalOrderIssued': {
      const order = data as LegalEventData<'RemovalOrderIssued'>;
      return { orderId: order.orderId, kind: order.kind, issuedOn: order.occurredOn };
    }
    case 'RemovalEnforced': {
      const removal = data as LegalEventData<'RemovalEnforced'>;
      return { orderId: removal.orderId ?? null, kind: removal.kind };
    }
    case 'DetentionStarted': {
      const detention = data as LegalEventData<'DetentionStarted'>;
      return {
        detentionId: detention.detentionId,
        kind: detention.kind,
        startedOn: detention.occurredOn,
      };
    }
    case 'DetentionEnded': {
      const ended = data as LegalEventData<'DetentionEnded'>;
      return { detentionId: ended.detentionId, endedOn: ended.occurredOn };
    }
    case 'ResidencePermitDecided': {
      const decision = data as LegalEventData<'ResidencePermitDecided'>;
      return {
        outcome: decision.outcome,
        grounds: decision.grounds,
        validUntil: decision.validUntil ?? null,
        decidedOn: decision.occurredOn,
      };
    }
    default:
      return undefined;
  }
}

export const noStatus = (journeyId: string): LegalStatus => ({
  journeyId,
  periods: [],
  removalOrders: [],
  removals: 0,
  detentions: [],
  residencePermit: null,
});

/** Folds one legal fact, as the legal view does (corrections already applied). */
export function evolveStatus(state: LegalStatus, fact: Fact): LegalStatus {
  const next = structuredClone(state);
  const codes = fact.data;
  const text = (key: string): string => codes[key] as string;
  switch (fact.type) {
    case 'RecoveryReflectionPeriodGranted':
      next.periods.push({
        periodId: text('periodId'),
        start: text('start'),
        end: text('end'),
        days: daysBetween(text('start'), text('end')),
        grantedOn: text('grantedOn'),
        endedOn: null,
        endReason: null,
      });
      return next;
    case 'RecoveryReflectionPeriodEnded': {
      const period = next.periods.find((item) => item.periodId === codes['periodId']);
      if (!period) return state;
      period.endedOn = text('endedOn');
      period.endReason = text('reason');
      return next;
    }
    case 'RemovalOrderIssued':
      next.removalOrders.push({
        orderId: text('orderId'),
        kind: text('kind'),
        issuedOn: text('issuedOn'),
        enforced: false,
      });
      return next;
    case 'RemovalEnforced': {
      next.removals += 1;
      const order = next.removalOrders.find((item) => item.orderId === codes['orderId']);
      if (order) order.enforced = true;
      return next;
    }
    case 'DetentionStarted':
      next.detentions.push({
        detentionId: text('detentionId'),
        kind: text('kind'),
        startedOn: text('startedOn'),
        endedOn: null,
      });
      return next;
    case 'DetentionEnded': {
      const detention = next.detentions.find((item) => item.detentionId === codes['detentionId']);
      if (!detention) return state;
      detention.endedOn = text('endedOn');
      return next;
    }
    case 'ResidencePermitDecided':
      next.residencePermit = {
        outcome: text('outcome'),
        grounds: codes['grounds'] as string[],
        validUntil: codes['validUntil'] as string | null,
        decidedOn: text('decidedOn'),
      };
      return next;
    default:
      return state;
  }
}

export const currentPeriod = (status: LegalStatus): ReflectionPeriod | undefined =>
  status.periods[status.periods.length - 1];

/** Where a period stands on a day, and the days left until its end. */
export function periodOn(period: ReflectionPeriod, today: string) {
  const status =
    period.endedOn !== null
      ? ('ended' as const)
      : today < period.start
        ? ('upcoming' as const)
        : today > period.end
          ? ('elapsed' as const)
          : ('running' as const);
  return {
    ...period,
    atLeast30Days: period.days >= REFLECTION_MINIMUM_DAYS,
    status,
    daysLeft: status === 'ended' ? 0 : Math.max(0, daysBetween(today, period.end)),
  };
}
