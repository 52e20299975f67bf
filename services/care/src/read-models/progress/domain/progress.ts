import type { CARE_OBJECTIVE_STATUSES, CareEventData } from '@waypoint/contracts';
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

type Codes = Record<string, unknown>;

/** The codes progress needs from a care event; undefined for events it does not count. */
export function progressCodes(type: string, data: unknown): Codes | undefined {
  switch (type) {
    case 'CarePlanCreated': {
      const plan = data as CareEventData<'CarePlanCreated'>;
      return { planId: plan.planId, reviewDate: plan.reviewDate ?? null };
    }
    case 'CareObjectiveAdded': {
      const objective = data as CareEventData<'CareObjectiveAdded'>;
      return {
        planId: objective.planId,
        objectiveId: objective.objectiveId,
        careCode: objective.careCode,
      };
    }
    case 'CareObjectiveProgressRecorded': {
      const progress = data as CareEventData<'CareObjectiveProgressRecorded'>;
      return {
        planId: progress.planId,
        objectiveId: progress.objectiveId,
        status: progress.status,
      };
    }
    case 'CareAuthorised': {
      const authorised = data as CareEventData<'CareAuthorised'>;
      return { careCode: authorised.careCode, planId: authorised.planId ?? null };
    }
    case 'CareDelivered': {
      const delivered = data as CareEventData<'CareDelivered'>;
      return {
        careCode: delivered.careCode,
        planId: delivered.planId ?? null,
        deliveredAt: delivered.deliveredAt,
      };
    }
    case 'AssistanceEnded': {
      const ended = data as CareEventData<'AssistanceEnded'>;
      return { reason: ended.reason, endedAt: ended.endedAt };
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
export function evolveProgress(state: CareProgress, fact: Fact): CareProgress {
  const next = structuredClone(state);
  const codes = fact.data;
  const at = fact.occurredAt;
  const plan = next.plans.find((item) => item.planId === codes['planId']);
  switch (fact.type) {
    case 'CarePlanCreated':
      next.assistance = 'assisting';
      next.plans.push({
        planId: codes['planId'] as string,
        createdAt: at,
        reviewDate: codes['reviewDate'] as string | null,
        objectives: [],
        lastProgressAt: null,
        deliveries: 0,
        authorisations: 0,
      });
      return next;
    case 'CareObjectiveAdded':
      next.assistance = 'assisting';
      plan?.objectives.push({
        objectiveId: codes['objectiveId'] as string,
        careCode: codes['careCode'] as string,
        status: 'not_started',
      });
      return next;
    case 'CareObjectiveProgressRecorded': {
      const objective = plan?.objectives.find((item) => item.objectiveId === codes['objectiveId']);
      if (!plan || !objective) return state;
      objective.status = codes['status'] as ObjectiveStatus;
      plan.lastProgressAt = latest(plan.lastProgressAt, at);
      next.lastProgressAt = latest(next.lastProgressAt, at);
      return next;
    }
    case 'CareAuthorised':
      next.assistance = 'assisting';
      next.authorisations += 1;
      if (plan) plan.authorisations += 1;
      return next;
    case 'CareDelivered':
      next.deliveries += 1;
      next.lastDeliveredAt = latest(next.lastDeliveredAt, codes['deliveredAt'] as string);
      if (plan) plan.deliveries += 1;
      return next;
    case 'AssistanceEnded':
      next.assistance = 'ended';
      next.ended = { reason: codes['reason'] as string, endedAt: codes['endedAt'] as string };
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
