import type { HistoryEntry, LegalEvent } from '@waypoint/contracts';
import type { History } from '@waypoint/decider';

/** A legal event as read back: the id is known for stored events, not for ones just decided. */
export type LegalStreamEvent = LegalEvent & { readonly eventId?: string };

/**
 * What the decider needs to keep the record consistent: the things later facts refer to (a
 * period that ends, an order enforced, a charge decided, a claim paid) and the history for
 * corrections. Nothing here judges lawfulness: that is the audit's.
 */
export interface LegalRecord {
  readonly status: 'recording';
  readonly periods: ReadonlyMap<string, { readonly ended: boolean }>;
  readonly orders: ReadonlyMap<string, { readonly enforced: boolean }>;
  readonly detentions: ReadonlyMap<string, { readonly ended: boolean }>;
  readonly protectionClaims: ReadonlySet<string>;
  readonly charges: ReadonlySet<string>;
  readonly compensationClaims: ReadonlySet<string>;
  /** Every event with its id, newest first: corrections are decided against all of it. */
  readonly history: History<HistoryEntry<LegalStreamEvent>>;
}

export type LegalState = { readonly status: 'empty' } | LegalRecord;

export const initialState = (): LegalState => ({ status: 'empty' });

export const emptyRecord = (): LegalRecord => ({
  status: 'recording',
  periods: new Map(),
  orders: new Map(),
  detentions: new Map(),
  protectionClaims: new Set(),
  charges: new Set(),
  compensationClaims: new Set(),
  history: undefined,
});
