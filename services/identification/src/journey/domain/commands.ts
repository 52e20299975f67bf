import type { EventData, IdentificationEvent } from '@waypoint/contracts';

/** Who acts: their user id, organisation and roles, from the verified token. */
export interface Actor {
  readonly userId: string;
  readonly orgId: string;
  readonly roles: readonly string[];
}

/** The facts of outside bodies and of the person this service records as they come. */
export const FACT_TYPES = [
  'FirstContactRecorded',
  'IndicatorsObserved',
  'ReasonableGroundsDecided',
  'ConclusiveGroundsDecided',
  'AgeUncertaintyRecorded',
  'AgeAssessed',
  'UnaccompaniedChildRecorded',
  'GuardianAppointed',
  'ConsentRecorded',
  'InformationProvided',
] as const;
export type FactType = (typeof FACT_TYPES)[number];
export type FactEvent = Extract<IdentificationEvent, { type: FactType }>;

/** A referral target as the organisation directory knows it, or null when unknown. */
export interface ReferralTarget {
  readonly orgId: string;
  readonly acceptsReferrals: boolean;
}

export type JourneyCommand =
  | { readonly type: 'OpenJourney'; readonly data: EventData<'JourneyOpened'> }
  | { readonly type: 'RecordFact'; readonly event: FactEvent }
  | { readonly type: 'WithdrawConsent'; readonly consentId: string }
  | {
      readonly type: 'MakeReferral';
      readonly data: EventData<'ReferralMade'>;
      readonly actor: Actor;
      readonly target: ReferralTarget | null;
      /** When the decision is taken: consent must be valid then. */
      readonly now: string;
    }
  | {
      readonly type: 'AcceptReferral';
      readonly referralId: string;
      readonly actor: Actor;
      readonly now: string;
    }
  | {
      readonly type: 'RejectReferral';
      readonly referralId: string;
      readonly reasonCode: EventData<'ReferralRejected'>['reasonCode'];
      readonly actor: Actor;
    }
  | { readonly type: 'CompleteReferral'; readonly referralId: string; readonly actor: Actor }
  | { readonly type: 'RetractEvent'; readonly data: EventData<'EventRetracted'> }
  | { readonly type: 'AmendEvent'; readonly data: EventData<'EventAmended'> };
