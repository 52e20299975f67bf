import type { ReintegrationEvent, ReintegrationEventData } from '@waypoint/contracts';
import type { Actor } from '@waypoint/decider';

/** What this service needs to know about the journey from identification, at decision time. */
export interface JourneyFacts {
  /** Presumed a child (reasons to believe it, until an assessment says adult): the child guards apply. */
  readonly presumedChild: boolean;
  /** An unaccompanied or separated child needs a guardian before a return is decided (CoE 10(4)). */
  readonly unaccompanied: boolean;
  readonly guardianAppointed: boolean;
}

/** The facts of outside bodies and of the person this service records as they come. */
export const FACT_TYPES = [
  'RiskAssessmentCompleted',
  'FamilyAssessmentCompleted',
  'BestInterestsDetermined',
  'ChildViewsRecorded',
  'ReturnDecided',
  'ReturnExecuted',
  'ReceptionArrangedAtDestination',
  'ReintegrationReviewCompleted',
  'ReTraffickingReported',
] as const;
export type FactType = (typeof FACT_TYPES)[number];
export type FactEvent = Extract<ReintegrationEvent, { type: FactType }>;

/** What an assisted-return decision asks for; the guards fill in basis, presumedChild and overridden. */
export type AssistedReturnRequest = Omit<
  ReintegrationEventData<'AssistedReturnDecided'>,
  'basis' | 'presumedChild' | 'overridden' | 'decidedByOrgId'
>;

export type ReintegrationCommand =
  | {
      readonly type: 'RecordFact';
      readonly event: FactEvent;
      /** When the fact happened, if not now; never after `now`. */
      readonly occurredAt?: string;
      readonly now: string;
    }
  | {
      readonly type: 'DecideAssistedReturn';
      readonly data: AssistedReturnRequest;
      readonly actor: Actor;
      readonly journey: JourneyFacts;
      /** A supervisor's reason to waive the preconditions that are missing. */
      readonly overrideReason?: string;
      readonly now: string;
      /** How old the latest return risk assessment may be (configuration, passed in). */
      readonly riskAssessmentMaxAgeDays: number;
    }
  | {
      readonly type: 'CreatePlan';
      readonly data: ReintegrationEventData<'ReintegrationPlanCreated'>;
      readonly now: string;
    }
  | { readonly type: 'CloseJourney'; readonly data: ReintegrationEventData<'JourneyClosed'> }
  | { readonly type: 'RetractEvent'; readonly data: ReintegrationEventData<'EventRetracted'> }
  | { readonly type: 'AmendEvent'; readonly data: ReintegrationEventData<'EventAmended'> };
