import type { CareEventData, CARE_LEGAL_BASES } from '@waypoint/contracts';
import type { Actor } from '@waypoint/decider';
import type { OpenJourney } from '@waypoint/journey-facts';

/** The basis the caller claims for a decision; the decider checks it holds. */
export interface ClaimedBasis {
  readonly legalBasis: (typeof CARE_LEGAL_BASES)[number];
  /** Required with supervisor_override, refused otherwise. */
  readonly overrideReason?: string | undefined;
}

/**
 * What a decision needs to know besides the care stream: who takes it, when, and the journey's
 * identification facts at that time (its consents, from the consent projection).
 */
export interface DecisionContext {
  readonly actor: Actor;
  readonly now: string;
  readonly journey: OpenJourney;
  readonly basis: ClaimedBasis;
}

/** An objective as planned: its support-plan type is derived from the care code unless local. */
export interface PlannedObjective {
  readonly objectiveId: string;
  readonly careCode: string;
  readonly supportPlanType?: string | undefined;
  readonly targetDate?: string | undefined;
  readonly description?: string | undefined;
}

type Without<Data, Keys extends PropertyKey> = Omit<
  Data,
  Keys | 'legalBasis' | 'consentId' | 'override'
>;

export type CareCommand =
  | ({
      readonly type: 'CreateCarePlan';
      readonly plan: Without<CareEventData<'CarePlanCreated'>, never>;
      readonly objectives: readonly PlannedObjective[];
    } & DecisionContext)
  | ({
      readonly type: 'AddObjective';
      readonly planId: string;
      readonly objective: PlannedObjective;
    } & DecisionContext)
  | {
      readonly type: 'RecordProgress';
      readonly data: CareEventData<'CareObjectiveProgressRecorded'>;
    }
  | ({
      readonly type: 'AuthoriseCare';
      readonly data: Without<CareEventData<'CareAuthorised'>, 'supportPlanType'> & {
        readonly supportPlanType?: string | undefined;
      };
    } & DecisionContext)
  | {
      readonly type: 'RecordCareDelivered';
      readonly data: Without<CareEventData<'CareDelivered'>, 'supportPlanType'> & {
        readonly supportPlanType?: string | undefined;
      };
      readonly now: string;
    }
  | {
      readonly type: 'RecordAssistanceEnded';
      readonly data: Omit<CareEventData<'AssistanceEnded'>, 'override'>;
      /** Who records it: a supervisor alone may override the cooperation guard. */
      readonly actor: Actor;
      /** A supervisor's reason to end assistance for a cooperation reason; refused otherwise. */
      readonly overrideReason?: string | undefined;
      readonly now: string;
    }
  | { readonly type: 'RetractEvent'; readonly data: CareEventData<'EventRetracted'> }
  | { readonly type: 'AmendEvent'; readonly data: CareEventData<'EventAmended'> };
