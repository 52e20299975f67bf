import type { HistoryEntry, IdentificationEvent } from '@waypoint/contracts';
import type { History } from '@waypoint/decider';

export interface Consent {
  readonly consentId: string;
  readonly scope: 'services' | 'sharing' | 'anonymous_reporting' | 'tracing';
  readonly sharingWithOrgIds: readonly string[];
  readonly validUntil: string | undefined;
  readonly withdrawn: boolean;
}

export interface Referral {
  readonly referralId: string;
  readonly toOrgId: string;
  readonly consentId: string | undefined;
  readonly status: 'pending' | 'accepted' | 'rejected' | 'completed';
}

export interface OpenJourney {
  readonly status: 'open';
  readonly journeyId: string;
  readonly personId: string;
  readonly jurisdiction: string;
  readonly openedByOrgId: string;
  readonly consents: readonly Consent[];
  readonly referrals: readonly Referral[];
  readonly reasonableGrounds: 'positive' | 'negative' | undefined;
  readonly conclusive: string | undefined;
  /**
   * Presumed a child: what the journey's own facts say when they say anything (a reason to
   * believe it, an assessment), else what the person registry recorded at registration.
   */
  readonly presumedChild: boolean;
  /**
   * The journey's own facts: true from a reason to believe it, false once assessed adult; absent
   * while they say nothing.
   */
  readonly childInJourney?: boolean;
  /** The person was registered as a child (`PersonRegistered.child` 'yes'). */
  readonly childInRegistry?: boolean;
  readonly unaccompanied: boolean;
  readonly guardianAppointed: boolean;
  /**
   * Every event with its id, so that a correction can be applied to the whole history (a view of
   * every journey keeps only the events its facts come from: `KeptHistory`).
   */
  readonly history: History<HistoryEntry<JourneyEvent>>;
}

export type JourneyState = { readonly status: 'none' } | OpenJourney;

/** The journey with the person registry's child status joined in, `presumedChild` recomputed. */
export function withRegistryChild(journey: OpenJourney, childInRegistry: boolean): OpenJourney {
  return {
    ...journey,
    childInRegistry,
    presumedChild: journey.childInJourney ?? childInRegistry,
  };
}

/** A journey event as read back: the id is known for stored events, not for ones just decided. */
export type JourneyEvent = IdentificationEvent & { readonly eventId?: string };

export const initialState = (): JourneyState => ({ status: 'none' });
