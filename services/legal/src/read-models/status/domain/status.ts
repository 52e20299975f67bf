import { daysBetween, type LegalEvent } from '@waypoint/contracts';
import type { Fact } from '@waypoint/projections';

/** The minimum length of a recovery and reflection period, fixed in law (CETS 197 Art. 13(1)). */
export const REFLECTION_MINIMUM_DAYS = 30;

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

/**
 * A legal fact as the status keeps it: the codes and days of its type, nothing more (no
 * reference, note, place or name). `statusCodes` makes them; `evolveStatus` reads them.
 */
export type StatusFact = Fact &
  (
    | {
        readonly type: 'RecoveryReflectionPeriodGranted';
        readonly data: { periodId: string; start: string; end: string; grantedOn: string };
      }
    | {
        readonly type: 'RecoveryReflectionPeriodEnded';
        readonly data: { periodId: string; endedOn: string; reason: string };
      }
    | {
        readonly type: 'RemovalOrderIssued';
        readonly data: { orderId: string; kind: string; issuedOn: string };
      }
    | { readonly type: 'RemovalEnforced'; readonly data: { orderId: string | null; kind: string } }
    | {
        readonly type: 'DetentionStarted';
        readonly data: { detentionId: string; kind: string; startedOn: string };
      }
    | { readonly type: 'DetentionEnded'; readonly data: { detentionId: string; endedOn: string } }
    | {
        readonly type: 'ResidencePermitDecided';
        readonly data: {
          outcome: string;
          grounds: string[];
          validUntil: string | null;
          decidedOn: string;
        };
      }
  );

type Kept = Pick<StatusFact, 'type' | 'data'>;

/** The codes the status needs from a legal event; undefined for events it does not follow. */
export function statusCodes(event: LegalEvent): Kept | undefined {
  switch (event.type) {
    case 'RecoveryReflectionPeriodGranted': {
      const { periodId, start, end, occurredOn } = event.data;
      return { type: event.type, data: { periodId, start, end, grantedOn: occurredOn } };
    }
    case 'RecoveryReflectionPeriodEnded': {
      const { periodId, occurredOn, reason } = event.data;
      return { type: event.type, data: { periodId, endedOn: occurredOn, reason } };
    }
    case 'RemovalOrderIssued': {
      const { orderId, kind, occurredOn } = event.data;
      return { type: event.type, data: { orderId, kind, issuedOn: occurredOn } };
    }
    case 'RemovalEnforced': {
      const { orderId, kind } = event.data;
      return { type: event.type, data: { orderId: orderId ?? null, kind } };
    }
    case 'DetentionStarted': {
      const { detentionId, kind, occurredOn } = event.data;
      return { type: event.type, data: { detentionId, kind, startedOn: occurredOn } };
    }
    case 'DetentionEnded': {
      const { detentionId, occurredOn } = event.data;
      return { type: event.type, data: { detentionId, endedOn: occurredOn } };
    }
    case 'ResidencePermitDecided': {
      const { outcome, grounds, validUntil, occurredOn } = event.data;
      return {
        type: event.type,
        data: { outcome, grounds, validUntil: validUntil ?? null, decidedOn: occurredOn },
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
export function evolveStatus(state: LegalStatus, fact: StatusFact): LegalStatus {
  const next = structuredClone(state);
  switch (fact.type) {
    case 'RecoveryReflectionPeriodGranted': {
      const { periodId, start, end, grantedOn } = fact.data;
      next.periods.push({
        periodId,
        start,
        end,
        days: daysBetween(start, end),
        grantedOn,
        endedOn: null,
        endReason: null,
      });
      return next;
    }
    case 'RecoveryReflectionPeriodEnded': {
      const period = next.periods.find((item) => item.periodId === fact.data.periodId);
      if (!period) return state;
      period.endedOn = fact.data.endedOn;
      period.endReason = fact.data.reason;
      return next;
    }
    case 'RemovalOrderIssued': {
      const { orderId, kind, issuedOn } = fact.data;
      next.removalOrders.push({ orderId, kind, issuedOn, enforced: false });
      return next;
    }
    case 'RemovalEnforced': {
      next.removals += 1;
      const order = next.removalOrders.find((item) => item.orderId === fact.data.orderId);
      if (order) order.enforced = true;
      return next;
    }
    case 'DetentionStarted': {
      const { detentionId, kind, startedOn } = fact.data;
      next.detentions.push({ detentionId, kind, startedOn, endedOn: null });
      return next;
    }
    case 'DetentionEnded': {
      const detention = next.detentions.find((item) => item.detentionId === fact.data.detentionId);
      if (!detention) return state;
      detention.endedOn = fact.data.endedOn;
      return next;
    }
    case 'ResidencePermitDecided': {
      const { outcome, grounds, validUntil, decidedOn } = fact.data;
      next.residencePermit = { outcome, grounds, validUntil, decidedOn };
      return next;
    }
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
