import {
  identificationEventData,
  occurredAtInput,
  type EventData,
  type IdentificationEvent,
} from '@waypoint/contracts';
import type { Actor } from '@waypoint/decider';
import type { z } from 'zod';

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

/**
 * A recorded fact's command body: the event's data, and when the fact happened (`occurredAt`, an
 * instant or a day, not in the future) when that was not when it is recorded. The time becomes the
 * event's envelope `occurredAt`; the data keeps its shape.
 */
export function factBody(
  type: FactType,
): z.ZodType<Readonly<Record<string, unknown>> & { readonly occurredAt?: string }> {
  return (identificationEventData[type] as z.ZodObject).extend({
    occurredAt: occurredAtInput.optional(),
  });
}

/** A fact with, when it was stated, the instant it happened (UTC): the envelope's occurredAt. */
export type DatedFactEvent = FactEvent & { readonly occurredAt?: string };

/** A referral target as the organisation directory knows it, or null when unknown. */
export interface ReferralTarget {
  readonly orgId: string;
  readonly acceptsReferrals: boolean;
}

export type JourneyCommand =
  | { readonly type: 'OpenJourney'; readonly data: EventData<'JourneyOpened'> }
  | { readonly type: 'RecordFact'; readonly event: DatedFactEvent }
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
