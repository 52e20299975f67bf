import { z } from 'zod';
import { CATEGORIES } from '../access.js';
import type { EventDefinition } from '../classification.js';
import { pastInstant } from '../dates.js';
import { EventFamily } from '../event-family.js';

/**
 * Erasure of a person (crypto-shredding) and the legal holds that block it, owned by the
 * identification service. Every field is a code or a pseudonymous id: these events must stay
 * readable after the keys they are about are destroyed, so nothing in them is encrypted.
 *
 * Streams: `erasure-<requestId>` (one request, from the DPO or the retention job, to its end) and
 * `legalhold-<personId>` (the holds placed on a person and their lifting).
 */

const id = z.uuid();
const category = z.enum(CATEGORIES);
const categories = z
  .array(category)
  .min(1)
  .max(CATEGORIES.length)
  .refine((list) => new Set(list).size === list.length, 'categories are listed once each');

/** Every service that must confirm it holds no decrypted copy of the person before keys go. */
export const ERASURE_SERVICES = [
  'identification',
  'shelter',
  'care',
  'legal',
  'reintegration',
  'journey',
  'audit',
  'analytics',
] as const;
export type ErasureService = (typeof ERASURE_SERVICES)[number];

export const ERASURE_REASON_CODES = [
  /** GDPR Art. 17(1): the person asked (directly or through a representative). */
  'data_subject_request',
  /** Art. 17(1)(b): consent withdrawn and no other ground. */
  'consent_withdrawn',
  /** Art. 17(1)(d): the data was processed unlawfully. */
  'unlawful_processing',
  /** Art. 5(1)(e), IOM principle 9: the category's retention period ran out. */
  'retention_expired',
  /** Art. 17(1)(e): erasure is a legal obligation (a court order). */
  'legal_obligation',
  'other',
] as const;
export type ErasureReasonCode = (typeof ERASURE_REASON_CODES)[number];

/** The GDPR Art. 17(3) exceptions a hold rests on. */
export const LEGAL_HOLD_BASES = [
  /** 17(3)(e): establishment, exercise or defence of legal claims (evidence in proceedings). */
  'legal_claims',
  /** 17(3)(b): a legal obligation to keep the data. */
  'legal_obligation',
  /** 17(3)(c): public interest in public health. */
  'public_health',
  /** 17(3)(d): archiving, research or statistics under Art. 89 safeguards. */
  'archiving_research',
  /** 17(3)(a): freedom of expression and information. */
  'freedom_of_expression',
] as const;
export type LegalHoldBasis = (typeof LEGAL_HOLD_BASES)[number];

/** Where each basis is written, for the people who read a refusal. */
export const LEGAL_HOLD_BASIS_CITATIONS: Readonly<Record<LegalHoldBasis, string>> = {
  legal_claims: 'GDPR Art. 17(3)(e)',
  legal_obligation: 'GDPR Art. 17(3)(b)',
  public_health: 'GDPR Art. 17(3)(c)',
  archiving_research: 'GDPR Art. 17(3)(d)',
  freedom_of_expression: 'GDPR Art. 17(3)(a)',
};

export const LEGAL_HOLD_LIFT_REASONS = [
  'proceedings_concluded',
  'basis_no_longer_applies',
  'placed_in_error',
  'other',
] as const;

/** What a service did for an erasure before it confirmed. */
export const PURGE_OUTCOMES = [
  /** It keeps personal data only as ciphertext: nothing to purge besides its key cache. */
  'nothing_decrypted_kept',
  /** It held decrypted copies (a cache, a snapshot, a file) and removed them. */
  'decrypted_copies_removed',
] as const;

const holdRef = z.object({
  holdId: id,
  basis: z.enum(LEGAL_HOLD_BASES),
  categories,
});

export const erasureEventData = {
  ErasureRequested: z.object({
    requestId: id,
    personId: id,
    reasonCode: z.enum(ERASURE_REASON_CODES),
    /** `all`: every category, also those with no key yet; `categories`: the ones listed. */
    scope: z.enum(['all', 'categories']),
    categories,
    /** The services whose confirmation the keys wait for. */
    services: z.array(z.enum(ERASURE_SERVICES)).min(1).max(ERASURE_SERVICES.length),
    /** `dpo`: a data-protection officer asked; `retention`: the retention job did. */
    origin: z.enum(['dpo', 'retention']),
  }),
  ErasureBlocked: z.object({
    requestId: id,
    personId: id,
    /** The holds that cover part of the request: nothing is destroyed while any applies. */
    holds: z.array(holdRef).min(1).max(50),
    blockedCategories: categories,
  }),
  ErasureResumed: z.object({
    requestId: id,
    personId: id,
  }),
  ErasureServiceConfirmed: z.object({
    requestId: id,
    personId: id,
    service: z.enum(ERASURE_SERVICES),
    outcome: z.enum(PURGE_OUTCOMES),
    /** Unwrapped keys of the person the service dropped from its in-process cache. */
    cacheEntriesEvicted: z.number().int().min(0).max(1_000_000),
  }),
  PersonKeysDestroyed: z.object({
    requestId: id,
    personId: id,
    /**
     * The key store's destruction log entries: a copy outside the key store's backups, re-applied
     * after a restore so that a destroyed key never comes back.
     */
    destructions: z
      .array(
        z.object({
          category,
          destroyedAt: pastInstant,
          reason: z.string().min(1).max(200),
        }),
      )
      .min(1)
      .max(CATEGORIES.length),
  }),
  ErasureCompleted: z.object({
    requestId: id,
    personId: id,
    categories,
    /**
     * The person's blind-index entries (name, name and birth date) were removed from search and
     * duplicate detection: set when `identity` was erased. Absent on erasures recorded before
     * the field existed; their entries are removed all the same.
     */
    searchIndexRemoved: z.boolean().optional(),
  }),
} as const;

export const legalHoldEventData = {
  LegalHoldPlaced: z.object({
    holdId: id,
    personId: id,
    basis: z.enum(LEGAL_HOLD_BASES),
    /** The categories whose erasure the hold blocks. */
    categories,
  }),
  LegalHoldLifted: z.object({
    holdId: id,
    personId: id,
    reasonCode: z.enum(LEGAL_HOLD_LIFT_REASONS),
  }),
} as const;

type EventOf<Schemas extends Record<string, z.ZodType>> = {
  [Type in keyof Schemas & string]: { readonly type: Type; readonly data: z.infer<Schemas[Type]> };
}[keyof Schemas & string];
export type ErasureEvent = EventOf<typeof erasureEventData>;
export type LegalHoldEvent = EventOf<typeof legalHoldEventData>;
export type ErasureEventData<Type extends ErasureEvent['type']> = Extract<
  ErasureEvent,
  { type: Type }
>['data'];

const define = (
  type: string,
  origin: EventDefinition['origin'],
  description: string,
): EventDefinition => ({ type, schemaVersion: 1, origin, encrypted: {}, description });

export const erasureFamily = new EventFamily<ErasureEvent>('erasure', erasureEventData, [
  define(
    'ErasureRequested',
    'decision',
    "A data-protection officer (or the retention job) asked to erase a person's data in some or all categories, for a reason code.",
  ),
  define(
    'ErasureBlocked',
    'record',
    'A legal hold covers part of the request: no key is destroyed until it is lifted and the request resumed.',
  ),
  define('ErasureResumed', 'decision', 'A blocked request goes on, its holds having been lifted.'),
  define(
    'ErasureServiceConfirmed',
    'record',
    "A service confirmed it keeps no decrypted copy of the person's data (read models, caches, snapshots).",
  ),
  define(
    'PersonKeysDestroyed',
    'record',
    "The person's keys for the requested categories were destroyed (crypto-shredding): every copy of those values is unreadable.",
  ),
  define('ErasureCompleted', 'record', 'The erasure reached every service and the key store.'),
]);

export const legalHoldFamily = new EventFamily<LegalHoldEvent>('legalhold', legalHoldEventData, [
  define(
    'LegalHoldPlaced',
    'decision',
    "A data-protection officer placed a legal hold on categories of a person's data, on a GDPR Art. 17(3) basis: their erasure is blocked.",
  ),
  define('LegalHoldLifted', 'decision', 'A legal hold ended, with a reason code.'),
]);
