import type { HistoryEntry, IdentificationEvent } from '@waypoint/contracts';

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
  /** Presumed a child from the first reason to believe it until an assessment says adult. */
  readonly presumedChild: boolean;
  readonly unaccompanied: boolean;
  readonly guardianAppointed: boolean;
  /** Every event with its id, so that a correction can be applied to the whole history. */
  readonly history: History;
}

/**
 * The events so far, newest first, as an immutable list: appending is O(1), so folding a long
 * journey stays linear; it is turned into an array only when a correction needs the whole of it.
 */
export type History =
  { readonly entry: HistoryEntry<JourneyEvent>; readonly earlier: History } | undefined;

export function historyToArray(history: History): HistoryEntry<JourneyEvent>[] {
  const entries: HistoryEntry<JourneyEvent>[] = [];
  for (let cell = history; cell; cell = cell.earlier) entries.push(cell.entry);
  return entries.reverse();
}

export type JourneyState = { readonly status: 'none' } | OpenJourney;

/** A journey event as read back: the id is known for stored events, not for ones just decided. */
export type JourneyEvent = IdentificationEvent & { readonly eventId?: string };

export const initialState = (): JourneyState => ({ status: 'none' });
