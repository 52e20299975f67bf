import type { LegalEvent, LegalEventData } from '@waypoint/contracts';
import type { Actor } from '@waypoint/decider';
import type { OpenJourney } from '@waypoint/journey-facts';

/** What outside bodies (and the person) did: recorded as it happened, judged by the audit. */
export const FACT_TYPES = [
  'RecoveryReflectionPeriodGranted',
  'RecoveryReflectionPeriodEnded',
  'RemovalOrderIssued',
  'RemovalEnforced',
  'DetentionStarted',
  'DetentionEnded',
  'ResidencePermitDecided',
  'InternationalProtectionClaimLodged',
  'InternationalProtectionClaimDecided',
  'LegalAidAssigned',
  'LegalAidWaived',
  'InterviewConducted',
  'CriminalChargeFiled',
  'ProsecutionDecided',
  'PenaltyImposed',
  'CooperationStatusChanged',
  'CompensationClaimed',
  'CompensationDecided',
  'CompensationPaid',
] as const;
export type FactType = (typeof FACT_TYPES)[number];
export type FactEvent = Extract<LegalEvent, { type: FactType }>;

export type LegalCommand =
  | {
      readonly type: 'RecordFact';
      /** With `occurredAt` (UTC) when the command stated the instant: the envelope's occurrence time. */
      readonly event: FactEvent & { readonly occurredAt?: string };
      /** When it is recorded: a fact cannot have happened after that. */
      readonly now: string;
    }
  | {
      readonly type: 'FileCompensationClaim';
      readonly data: Omit<LegalEventData<'CompensationClaimFiled'>, 'consentId' | 'override'>;
      /** A supervisor's reason for filing without the person's services consent. */
      readonly overrideReason?: string;
      readonly actor: Actor;
      /** The journey as identification knows it: its consents decide. */
      readonly journey: OpenJourney;
      /** When the decision is taken: the consent must be valid then. */
      readonly now: string;
    }
  | { readonly type: 'RetractEvent'; readonly data: LegalEventData<'EventRetracted'> }
  | { readonly type: 'AmendEvent'; readonly data: LegalEventData<'EventAmended'> };
