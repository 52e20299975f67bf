import { z } from 'zod';
import type { EventDefinition } from '../classification.js';
import { eventAmended, eventRetracted } from '../corrections.js';
import { EventFamily } from '../event-family.js';
import { pastInstant, plannedDay } from '../dates.js';
import { freeText, sealed } from '../sealed.js';
import { extensibleEnum, LOCAL_CODE } from '../vocabularies/extensible-enum.js';
import {
  languageCode,
  organisationType,
  supportPlanType,
  type SUPPORT_PLAN_TYPES,
} from '../vocabularies/htcds.js';

/**
 * The care family (`care-delivered`): care plans with their objectives and progress, care
 * authorised through Waypoint, care delivered by providers, and the end of assistance. One stream
 * per journey, `care-<journeyId>`.
 */

const id = z.uuid();

type SupportPlanType = (typeof SUPPORT_PLAN_TYPES)[number];

/**
 * The finer care codes practitioners record (CoE Art. 12(1), Directive 2011/36 Art. 11(5)), each
 * mapped onto the HTCDS support-plan type (spl_Type) it is exported as.
 */
export const CARE_CODE_SUPPORT_PLAN_TYPES = {
  emergency_medical: 'Health',
  medical: 'Health',
  psychological: 'Health',
  counselling: 'SocialCare',
  accommodation: 'SocialCare',
  material: 'SocialCare',
  subsistence: 'Financial',
  interpretation: 'SocialCare',
  information_on_rights: 'RightsBasedTraining',
  education: 'Education',
  legal_counselling: 'Legal',
  legal_representation: 'Legal',
  livelihood: 'Livelihood',
  vocational_training: 'Livelihood',
  labour_exploitation_rehabilitation: 'LabourExploitationRehabilitation',
  sexual_exploitation_rehabilitation: 'SexualExploitationRehabilitation',
} as const satisfies Readonly<Record<string, SupportPlanType>>;

export type StandardCareCode = keyof typeof CARE_CODE_SUPPORT_PLAN_TYPES;
export const CARE_CODES = Object.keys(CARE_CODE_SUPPORT_PLAN_TYPES) as [
  StandardCareCode,
  ...StandardCareCode[],
];
/** A finer care code, or a local `x-` code (which then names its support-plan type itself). */
export const careCode = extensibleEnum(CARE_CODES).describe(
  'The care given or planned, from the care vocabulary; a local `x-` code is allowed',
);

/** The only care that may be planned or authorised on a vital-interest basis, without consent. */
export const VITAL_INTEREST_CARE_CODE: StandardCareCode = 'emergency_medical';

/**
 * The HTCDS support-plan type a care code maps onto; undefined for a local code, whose type must
 * be given with it.
 */
export function supportPlanTypeOfCare(code: string): SupportPlanType | undefined {
  if (LOCAL_CODE.test(code)) return undefined;
  return Object.hasOwn(CARE_CODE_SUPPORT_PLAN_TYPES, code)
    ? CARE_CODE_SUPPORT_PLAN_TYPES[code as StandardCareCode]
    : undefined;
}

/**
 * Why assistance ended. Assistance is not conditional on cooperation with the authorities
 * (CoE Art. 12(6), Directive 2011/36 Art. 11(3)): the codes in CARE_END_REASONS_FLAGGED are
 * recorded only on a supervisor's override, as the shelter's exits are, and the audit flags them
 * (rule AS-02).
 */
export const CARE_END_REASONS = [
  'person_request',
  'goals_achieved',
  'consent_withdrawn',
  'transferred',
  'moved_away',
  'returned_home',
  'lost_contact',
  'deceased',
  'end_of_programme',
  'non_cooperation',
  'declined_to_testify',
  'other',
] as const;
export const CARE_END_REASONS_FLAGGED: readonly (typeof CARE_END_REASONS)[number][] = [
  'non_cooperation',
  'declined_to_testify',
];

/** How a decision to plan or authorise care is justified. */
export const CARE_LEGAL_BASES = ['consent', 'vital_interest', 'supervisor_override'] as const;

export const CARE_OBJECTIVE_STATUSES = [
  'not_started',
  'in_progress',
  'partially_achieved',
  'achieved',
  'discontinued',
] as const;

/** An organisation that provides care or acted: by directory id when known, by its name always. */
export const careProvider = z
  .object({
    orgId: id.optional().describe('The provider in the organisation directory, when it is there'),
    /** The institution's name (a clinic, a service), not a person's. */
    name: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .describe("The institution's name (a clinic, a service), not a person's"),
    type: organisationType.optional().describe('What kind of organisation it is'),
  })
  .describe('The organisation that provides the care');

/** The legal basis of a decision, recorded with it: the consent relied on, or the override. */
const basis = {
  legalBasis: z.enum(CARE_LEGAL_BASES),
  /** The services consent valid when the decision was taken (legalBasis consent). */
  consentId: id.optional(),
  /** A supervisor's override in place of consent, in their name, with their reason. */
  override: z
    .object({ supervisorUserId: z.string().min(1).max(200), reason: sealed(freeText) })
    .optional(),
};

export const careEventData = {
  CarePlanCreated: z.object({
    planId: id,
    reviewDate: plannedDay.optional(),
    summary: sealed(freeText).optional(),
    ...basis,
  }),
  CareObjectiveAdded: z.object({
    planId: id,
    objectiveId: id,
    careCode,
    supportPlanType,
    targetDate: plannedDay.optional(),
    description: sealed(freeText).optional(),
    ...basis,
  }),
  CareObjectiveProgressRecorded: z.object({
    planId: id,
    objectiveId: id,
    status: z.enum(CARE_OBJECTIVE_STATUSES),
    note: sealed(freeText).optional(),
  }),
  CareAuthorised: z.object({
    authorisationId: id,
    careCode,
    supportPlanType,
    provider: careProvider.optional(),
    planId: id.optional(),
    objectiveId: id.optional(),
    validUntil: plannedDay.optional(),
    notes: sealed(freeText).optional(),
    ...basis,
  }),
  CareDelivered: z.object({
    deliveryId: id,
    careCode,
    supportPlanType,
    provider: careProvider,
    /** The language the care was given in, and whether an interpreter was used. */
    language: languageCode,
    interpreterUsed: z.boolean(),
    /** When the care was given: the audit checks consent at this time. */
    deliveredAt: pastInstant,
    /** Emergency medical care given on a vital-interest basis, marked as such for the audit. */
    vitalInterest: z.boolean().default(false),
    authorisationId: id.optional(),
    planId: id.optional(),
    objectiveId: id.optional(),
    clinicalDetails: sealed(freeText).optional(),
    notes: sealed(freeText).optional(),
  }),
  AssistanceEnded: z.object({
    reason: z.enum(CARE_END_REASONS),
    endedBy: careProvider,
    endedAt: pastInstant,
    explanation: sealed(freeText).optional(),
    /** A supervisor's override, required to end for a cooperation reason (the audit still flags it). */
    override: basis.override,
  }),
  EventRetracted: eventRetracted,
  EventAmended: eventAmended,
} as const;

export type CareEventData<Type extends keyof typeof careEventData> = z.infer<
  (typeof careEventData)[Type]
>;

export type CareEvent = {
  [Type in keyof typeof careEventData]: {
    readonly type: Type;
    readonly data: z.infer<(typeof careEventData)[Type]>;
  };
}[keyof typeof careEventData];

const define = (
  type: keyof typeof careEventData,
  origin: EventDefinition['origin'],
  encrypted: EventDefinition['encrypted'],
  description: string,
): EventDefinition => ({ type, schemaVersion: 1, origin, encrypted, description });

/** Version, origin and classification of every event of the family: the catalogue is built from it. */
export const CARE_EVENTS: readonly EventDefinition[] = [
  define(
    'CarePlanCreated',
    'decision',
    { summary: 'notes', 'override.reason': 'notes' },
    'A care plan was drawn up, on a valid services consent, a vital-interest basis or a supervisor override.',
  ),
  define(
    'CareObjectiveAdded',
    'decision',
    { description: 'notes', 'override.reason': 'notes' },
    'An objective (care code and its HTCDS support-plan type) was added to a care plan.',
  ),
  define(
    'CareObjectiveProgressRecorded',
    'record',
    { note: 'notes' },
    'Progress on a care-plan objective was recorded.',
  ),
  define(
    'CareAuthorised',
    'decision',
    { notes: 'notes', 'override.reason': 'notes' },
    'Care of one code was authorised through Waypoint, on consent, vital interest (emergency medical only) or override.',
  ),
  define(
    'CareDelivered',
    'fact',
    { clinicalDetails: 'health', notes: 'notes' },
    'A provider delivered care (HTCDS spl_Type), in a language; emergency medical care on a vital-interest basis is marked.',
  ),
  define(
    'AssistanceEnded',
    'fact',
    { explanation: 'notes', 'override.reason': 'notes' },
    'Assistance to the person ended, with a reason code (non-cooperation only on a supervisor override, and flagged by the audit).',
  ),
  define(
    'EventRetracted',
    'record',
    { explanation: 'notes' },
    'An earlier care event was recorded in error and no longer counts.',
  ),
  define('EventAmended', 'record', {}, 'An earlier care event counts with corrected data.'),
];

export const careFamily = new EventFamily<CareEvent>('care', careEventData, CARE_EVENTS);
