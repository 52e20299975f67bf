import type { CARE_OBJECTIVE_STATUSES, CareEvent } from '@waypoint/contracts';
import type { Fact } from '@waypoint/projections';

export type ObjectiveStatus = (typeof CARE_OBJECTIVE_STATUSES)[number];

export interface PlanProgress {
  readonly planId: string;
  readonly createdAt: string;
  readonly reviewDate: string | null;
  readonly objectives: { objectiveId: string; careCode: string; status: ObjectiveStatus }[];
  /** When progress on one of its objectives was last recorded. */
  lastProgressAt: string | null;
  /** Care delivered, and care authorised, for this plan. */
  deliveries: number;
  authorisations: number;
}

/** How a journey's care is going: codes, counts and dates only. */
export interface CareProgress {
  readonly journeyId: string;
  /** `none` until a plan, an objective or an authorisation; `ended` once assistance ended. */
  assistance: 'none' | 'assisting' | 'ended';
  ended: { reason: string; endedAt: string } | null;
  plans: PlanProgress[];
  deliveries: number;
  lastDeliveredAt: string | null;
  authorisations: number;
  lastProgressAt: string | null;
}

/**
 * A care fact as progress keeps it: the codes of its type, nothing more (no summary, note or
 * clinical detail). `progressCodes` makes them; `evolveProgress` reads them.
 */
export type ProgressFact = Fact &
  (
    | {
        readonly type: 'CarePlanCreated';
        readonly data: { planId: string; reviewDate: string | null };
      }
    | {
        readonly type: 'CareObjectiveAdded';
        readonly data: { planId: string; objectiveId: string; careCode: string };
      }
    | {
        readonly type: 'CareObjectiveProgressRecorded';
        readonly data: { planId: string; objectiveId: string; status: ObjectiveStatus };
      }
    | {
        readonly type: 'CareAuthorised';
        readonly data: { careCode: string; planId: string | null };
      }
    | {
        readonly type: 'CareDelivered';
        readonly data: { careCode: string; planId: string | null; deliveredAt: string };
      }
    | { readonly type: 'AssistanceEnded'; readonly data: { reason: string; endedAt: string } }
  );

type Kept = Pick<ProgressFact, 'type' | 'data'>;

/** The codes progress needs from a care event; undefined for events it does not count. */
export function progressCodes(event: CareEvent): Kept | undefined {
  switch (event.type) {
    case 'CarePlanCreated': {
      const { planId, reviewDate } = event.data;
      return { type: event.type, data: { planId, reviewDate: reviewDate ?? null } };
    }
    case 'CareObjectiveAdded': {
      const { planId, objectiveId, careCode } = event.data;
      return { type: event.type, data: { planId, objectiveId, careCode } };
    }
    case 'CareObjectiveProgressRecorded': {
      const { planId, objectiveId, status } = event.data;
      return { type: event.type, data: { planId, objectiveId, status } };
    }
    case 'CareAuthorised': {
      const { careCode, planId } = event.data;
      return { type: event.type, data: { careCode, planId: planId ?? null } };
    }
    case 'CareDelivered': {
      const { careCode, planId, deliveredAt } = event.data;
      return { type: event.type, data: { careCode, planId: planId ?? null, deliveredAt } };
    }
    case 'AssistanceEnded': {
      const { reason, endedAt } = event.data;
      return { type: event.type, data: { reason, endedAt } };
    }
    default:
      return undefined;
  }
}

export const noProgress = (journeyId: string): CareProgress => ({
  journeyId,
  assistance: 'none',
  ended: null,
  plans: [],
  deliveries: 0,
  lastDeliveredAt: null,
  authorisations: 0,
  lastProgressAt: null,
});

const latest = (a: string | null, b: string): string => (a === null || b > a ? b : a);

/** Folds one care fact, as the care record does (corrections already applied). */
export function evolveProgress(state: CareProgress, fact: ProgressFact): CareProgress {
  const next = structuredClone(state);
  const at = fact.occurredAt;
  const planOf = (planId: string | null): PlanProgress | undefined =>
    next.plans.find((item) => item.planId === planId);
  switch (fact.type) {
    case 'CarePlanCreated':
      next.assistance = 'assisting';
      next.plans.push({
        planId: fact.data.planId,
        createdAt: at,
        reviewDate: fact.data.reviewDate,
        objectives: [],
        lastProgressAt: null,
        deliveries: 0,
        authorisations: 0,
      });
      return next;
    case 'CareObjectiveAdded':
      next.assistance = 'assisting';
      planOf(fact.data.planId)?.objectives.push({
        objectiveId: fact.data.objectiveId,
        careCode: fact.data.careCode,
        status: 'not_started',
      });
      return next;
    case 'CareObjectiveProgressRecorded': {
      const { planId, objectiveId, status } = fact.data;
      const plan = planOf(planId);
      const objective = plan?.objectives.find((item) => item.objectiveId === objectiveId);
      if (!plan || !objective) return state;
      objective.status = status;
      plan.lastProgressAt = latest(plan.lastProgressAt, at);
      next.lastProgressAt = latest(next.lastProgressAt, at);
      return next;
    }
    case 'CareAuthorised': {
      next.assistance = 'assisting';
      next.authorisations += 1;
      const plan = planOf(fact.data.planId);
      if (plan) plan.authorisations += 1;
      return next;
    }
    case 'CareDelivered': {
      next.deliveries += 1;
      next.lastDeliveredAt = latest(next.lastDeliveredAt, fact.data.deliveredAt);
      const plan = planOf(fact.data.planId);
      if (plan) plan.deliveries += 1;
      return next;
    }
    case 'AssistanceEnded':
      next.assistance = 'ended';
      next.ended = { reason: fact.data.reason, endedAt: fact.data.endedAt };
      return next;
    default:
      return state;
  }
}

/** How many of a plan's objectives are at each status. */
export function objectiveCounts(plan: PlanProgress): Record<ObjectiveStatus, number> {
  const counts: Record<ObjectiveStatus, number> = {
    not_started: 0,
    in_progress: 0,
    partially_achieved: 0,
    achieved: 0,
    discontinued: 0,
  };
  for (const objective of plan.objectives) counts[objective.status] += 1;
  return counts;
}
