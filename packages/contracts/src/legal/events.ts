import { z } from 'zod';
import type { EventDefinition } from '../classification.js';
import { eventAmended, eventRetracted } from '../corrections.js';
import { EventFamily } from '../event-family.js';
import { pastDay, plannedDay } from '../dates.js';
import { freeText, sealed } from '../sealed.js';
import { extensibleEnum } from '../vocabularies/extensible-enum.js';
import { countryCode } from '../vocabularies/htcds.js';

/**
 * The legal family (`legal-<journeyId>`): what immigration authorities, police, prosecutors and
 * courts did, recorded as it happened and judged later by the audit, plus the one decision the
 * legal advisor takes through Waypoint (filing a compensation claim). Every fact names the body
 * that acted and the day it acted (`occurredOn`, also the event's occurrence time).
 */

const id = z.uuid();

/** The kinds of outside bodies that act in a journey's legal side; local `x-` codes allowed. */
export const LEGAL_BODY_TYPES = [
  'ImmigrationAuthority',
  'AsylumAuthority',
  'Police',
  'Prosecution',
  'Court',
  'LegalAidAuthority',
  'CompensationAuthority',
  'LabourInspection',
  'NGO',
  'Other',
] as const;

/** The body that acted: its kind, its directory id when known, its name as it signs. */
export const legalActingBody = z
  .object({
    type: extensibleEnum(LEGAL_BODY_TYPES).describe('What kind of body acted'),
    orgId: id.optional().describe("The body's id in the organisation directory, when it has one"),
    /** An institution (a court, a police unit), never a person. */
    name: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .describe('The institution as it signs (a court, a police unit), never a person'),
  })
  .describe('The body that acted');

const reasonCode = z
  .string()
  .regex(/^[a-z0-9_-]{1,64}$/)
  .describe('A reason code in lower_snake_case, as the acting body gives it');
/** A case or file number: it identifies proceedings about the person, so it is legal data. */
const caseReference = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .describe('The case or file number of the proceedings (legal data, stored encrypted)');
const money = z.object({
  amount: z.number().nonnegative().max(1_000_000_000).describe('The sum, in `currency`'),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR')
    .describe('ISO 4217 currency code (EUR)'),
});

/**
 * Why a reflection period ended. The Convention (CETS 197 Art. 13(3)) allows an early end only on
 * `public_order` or `improper_claim`; every other reason is still recorded, for the audit to flag.
 */
const REFLECTION_END_REASONS = [
  'expired',
  'public_order',
  'improper_claim',
  'residence_permit_granted',
  'identification_negative',
  'non_cooperation',
  'left_territory',
  'person_request',
  'other',
] as const;
const REMOVAL_KINDS = ['expulsion', 'dublin_transfer', 'return'] as const;
const DETENTION_KINDS = ['immigration', 'criminal', 'shelter'] as const;
const RESIDENCE_GROUNDS = ['personal_situation', 'cooperation', 'humanitarian', 'asylum'] as const;
const PROTECTION_OUTCOMES = [
  'refugee_status',
  'subsidiary_protection',
  'humanitarian_status',
  'refused',
  'inadmissible',
  'withdrawn',
] as const;
const LEGAL_MATTERS = [
  'criminal_proceedings',
  'immigration',
  'international_protection',
  'compensation',
  'labour',
  'family',
  'other',
] as const;
const INTERVIEW_PURPOSES = [
  'criminal_investigation',
  'court_hearing',
  'immigration',
  'international_protection',
  'identification',
  'other',
] as const;
const INTERVIEWER_PROFESSIONS = [
  'police_officer',
  'prosecutor',
  'judge',
  'immigration_officer',
  'asylum_officer',
  'psychologist',
  'social_worker',
  'child_specialist',
  'lawyer',
  'interpreter',
  'other',
] as const;
/** Offences victims are typically compelled to commit (non-punishment, CETS 197 Art. 26). */
const OFFENCES = [
  'irregular_entry',
  'irregular_stay',
  'false_documents',
  'soliciting',
  'drug_cultivation',
  'drug_trafficking',
  'theft',
  'begging',
  'fraud',
  'labour_law',
  'violence',
  'other',
] as const;
const PROSECUTION_OUTCOMES = [
  'prosecute',
  'not_prosecuted',
  'discontinued',
  'acquitted',
  'convicted_without_penalty',
] as const;
const PENALTY_KINDS = [
  'fine',
  'custodial',
  'suspended_custodial',
  'community_service',
  'administrative_fine',
  'other',
] as const;
const COOPERATION_STATUSES = ['willing', 'declined', 'undecided'] as const;
const COMPENSATION_FORUMS = [
  'criminal_proceedings',
  'civil_court',
  'labour_court',
  'state_fund',
  'other',
] as const;
const COMPENSATION_RESPONDENTS = ['offender', 'employer', 'state', 'other'] as const;
const COMPENSATION_OUTCOMES = [
  'awarded',
  'partially_awarded',
  'refused',
  'withdrawn',
  'settled',
] as const;

const linkedToTrafficking = z
  .enum(['yes', 'no', 'unknown'])
  .describe('Whether the offence is linked to the trafficking the person suffered');

/** What every outside body's fact carries: who acted, on which day, with optional reference and notes. */
const factBase = {
  actingBody: legalActingBody,
  occurredOn: pastDay,
  reference: sealed(caseReference).optional(),
  notes: sealed(freeText).optional(),
};

/** The fields of a reflection-period grant a client sends; the period id is given by the service. */
export const legalReflectionPeriodFields = z.object({
  ...factBase,
  start: plannedDay,
  end: plannedDay,
});

/** A period ends on or after the day it starts: anything else is a typing error, not a fact. */
export function legalPeriodInOrder<Schema extends z.ZodType<{ start: string; end: string }>>(
  schema: Schema,
) {
  return schema.refine((period) => period.end >= period.start, {
    error: 'the end is before the start',
    path: ['end'],
  });
}

const compensationClaimFields = {
  claimId: id,
  lodgedWith: legalActingBody,
  forum: z.enum(COMPENSATION_FORUMS).describe('Where the claim is brought'),
  against: z.enum(COMPENSATION_RESPONDENTS).describe('Who the claim is against'),
  amountClaimed: sealed(money)
    .optional()
    .describe('The sum claimed (legal data, stored encrypted)'),
  reference: sealed(caseReference).optional(),
  notes: sealed(freeText).optional(),
};

export const legalEventData = {
  RecoveryReflectionPeriodGranted: legalPeriodInOrder(
    legalReflectionPeriodFields.extend({ periodId: id }),
  ),
  RecoveryReflectionPeriodEnded: z.object({
    periodId: id,
    ...factBase,
    reason: z.enum(REFLECTION_END_REASONS).describe('Why the period ended'),
  }),
  RemovalOrderIssued: z.object({
    orderId: id,
    ...factBase,
    kind: z.enum(REMOVAL_KINDS).describe('What kind of removal was ordered'),
    destinationCountry: countryCode.optional(),
  }),
  RemovalEnforced: z.object({
    /** The order enforced, when it was recorded. */
    orderId: id.optional().describe('The order enforced, when it was recorded'),
    ...factBase,
    kind: z.enum(REMOVAL_KINDS).describe('What kind of removal was enforced'),
    destinationCountry: countryCode.optional(),
  }),
  DetentionStarted: z.object({
    detentionId: id,
    ...factBase,
    kind: z.enum(DETENTION_KINDS).describe('What kind of detention it is'),
    place: sealed(z.string().trim().min(1).max(200))
      .optional()
      .describe('Where the person is detained (location data, stored encrypted)'),
  }),
  DetentionEnded: z.object({
    detentionId: id,
    ...factBase,
  }),
  ResidencePermitDecided: z.object({
    ...factBase,
    grounds: z
      .array(z.enum(RESIDENCE_GROUNDS))
      .min(1)
      .max(4)
      .describe('The grounds the permit was decided on'),
    outcome: z.enum(['granted', 'refused']).describe('Whether the permit was granted'),
    validUntil: plannedDay.optional(),
  }),
  InternationalProtectionClaimLodged: z.object({
    claimId: id,
    ...factBase,
  }),
  InternationalProtectionClaimDecided: z.object({
    claimId: id,
    ...factBase,
    outcome: z.enum(PROTECTION_OUTCOMES).describe('How the claim was decided'),
  }),
  LegalAidAssigned: z.object({
    ...factBase,
    matters: z
      .array(z.enum(LEGAL_MATTERS))
      .min(1)
      .max(7)
      .describe('The matters the counselling or representation covers'),
    freeOfCharge: z.boolean().describe('Whether it is free of charge to the person'),
    lawyerOrgId: id.optional().describe("The lawyer's organisation, when it is in the directory"),
    /** Who represents the person says much about their proceedings: legal data. */
    lawyerName: sealed(z.string().trim().min(1).max(200))
      .optional()
      .describe('The name of the lawyer assigned (legal data, stored encrypted)'),
  }),
  LegalAidWaived: z.object({
    ...factBase,
    /** Whether the person was told of the right to free legal aid before waiving it. */
    informedOfRight: z
      .boolean()
      .describe('Whether the person was told of the right to free legal aid before waiving it'),
  }),
  InterviewConducted: z.object({
    ...factBase,
    purpose: z.enum(INTERVIEW_PURPOSES).describe('What the interview was for'),
    professions: z
      .array(z.enum(INTERVIEWER_PROFESSIONS))
      .min(1)
      .max(11)
      .describe('The professions of the people who conducted or attended the interview'),
    childAdaptedPremises: z
      .boolean()
      .describe('Whether the interview took place in premises adapted to children'),
    interpreterUsed: z.boolean().describe('An interpreter took part'),
    legalAssistancePresent: z
      .boolean()
      .describe("Whether the person's lawyer or legal adviser was present"),
  }),
  CriminalChargeFiled: z.object({
    chargeId: id,
    ...factBase,
    offence: extensibleEnum(OFFENCES).describe('The offence charged; a local `x-` code is allowed'),
    linkedToTrafficking,
    description: sealed(freeText).optional(),
  }),
  ProsecutionDecided: z.object({
    chargeId: id,
    ...factBase,
    outcome: z.enum(PROSECUTION_OUTCOMES).describe('What was decided on the charge'),
    /** Whether the non-punishment provision was considered (CETS 197 Art. 26, Dir. 2011/36 Art. 8). */
    nonPunishmentConsidered: z
      .boolean()
      .describe(
        'Whether the decision considered not punishing the person for offences they were compelled to commit',
      ),
    /** The trafficking assessment the decision cites, by a qualified person (ECtHR V.C.L. & A.N.). */
    traffickingAssessment: z
      .object({
        /** The identification event (reasonable or conclusive grounds) it relies on, when recorded. */
        identificationEventId: id
          .optional()
          .describe(
            'The identification event (reasonable or conclusive grounds) it relies on, when recorded',
          ),
        reference: sealed(caseReference).optional(),
      })
      .optional()
      .describe('The assessment of whether the person was trafficked that the decision cites'),
    reasonCodes: z
      .array(reasonCode)
      .max(20)
      .default([])
      .describe('The reasons the body gave, as codes'),
    reasons: sealed(freeText).optional(),
  }),
  PenaltyImposed: z.object({
    /** The charge it punishes, when it was recorded. */
    chargeId: id.optional().describe('The charge it punishes, when it was recorded'),
    ...factBase,
    penalty: z.enum(PENALTY_KINDS).describe('What kind of penalty was imposed'),
    /** The offence and its link, for a penalty whose charge was never recorded. */
    offence: extensibleEnum(OFFENCES)
      .optional()
      .describe(
        'The offence punished, for a penalty whose charge was never recorded; a local `x-` code is allowed',
      ),
    linkedToTrafficking: linkedToTrafficking.optional(),
    amount: sealed(money)
      .optional()
      .describe('The sum of a fine, when there is one (legal data, stored encrypted)'),
  }),
  CooperationStatusChanged: z.object({
    ...factBase,
    status: z
      .enum(COOPERATION_STATUSES)
      .describe("The person's willingness, now, to cooperate with the authorities"),
  }),
  CompensationClaimed: z.object({
    ...compensationClaimFields,
    occurredOn: pastDay,
    filedBy: z
      .enum(['person', 'lawyer', 'prosecutor', 'other_organisation'])
      .describe('Who filed the claim'),
  }),
  CompensationClaimFiled: z.object({
    ...compensationClaimFields,
    /** The person's services consent relied on, or else the supervisor's override. */
    consentId: id.optional(),
    override: z
      .object({ supervisorUserId: z.string().min(1).max(200), reason: sealed(freeText) })
      .optional(),
  }),
  CompensationDecided: z.object({
    claimId: id,
    ...factBase,
    outcome: z.enum(COMPENSATION_OUTCOMES).describe('What was decided on the claim'),
    amountAwarded: sealed(money)
      .optional()
      .describe('The sum awarded (legal data, stored encrypted)'),
  }),
  CompensationPaid: z.object({
    claimId: id,
    ...factBase,
    amountPaid: sealed(money).optional().describe('The sum paid (legal data, stored encrypted)'),
    /** The last payment of the award. */
    final: z.boolean().describe('Whether this is the last payment of the award'),
  }),
  EventRetracted: eventRetracted,
  EventAmended: eventAmended,
} as const;

type DataSchemas = typeof legalEventData;
export type LegalEventData<Type extends keyof DataSchemas> = z.infer<DataSchemas[Type]>;

export type LegalEvent = {
  [Type in keyof DataSchemas]: {
    readonly type: Type;
    readonly data: z.infer<DataSchemas[Type]>;
  };
}[keyof DataSchemas];

const FACT_CLASSIFICATION = { reference: 'legal', notes: 'notes' } as const;

const fact = (
  type: keyof DataSchemas,
  description: string,
  encrypted: EventDefinition['encrypted'] = {},
): EventDefinition => ({
  type,
  schemaVersion: 1,
  origin: 'fact',
  encrypted: { ...FACT_CLASSIFICATION, ...encrypted },
  description,
});

/** Version, origin and classification of every legal event: the catalogue is built from it. */
export const LEGAL_EVENTS: readonly EventDefinition[] = [
  fact(
    'RecoveryReflectionPeriodGranted',
    'An authority granted a recovery and reflection period, from start to end (CETS 197 Art. 13: at least 30 days).',
  ),
  fact(
    'RecoveryReflectionPeriodEnded',
    'A reflection period ended, with the reason given (early ends are allowed only on public order or improper claim).',
  ),
  fact('RemovalOrderIssued', 'An expulsion, Dublin transfer or return order was issued.'),
  fact('RemovalEnforced', 'The person was expelled, transferred under Dublin, or returned.'),
  fact('DetentionStarted', 'The person was detained (immigration, criminal, or closed shelter).', {
    place: 'location',
  }),
  fact('DetentionEnded', 'A detention ended.'),
  fact(
    'ResidencePermitDecided',
    'A residence permit was granted or refused, on personal situation, cooperation, humanitarian or asylum grounds.',
  ),
  fact('InternationalProtectionClaimLodged', 'A claim for international protection was lodged.'),
  fact('InternationalProtectionClaimDecided', 'A claim for international protection was decided.'),
  fact('LegalAidAssigned', 'Legal counselling or representation was assigned, free or not.', {
    lawyerName: 'legal',
  }),
  fact('LegalAidWaived', 'The person waived legal assistance, informed of the right or not.'),
  fact(
    'InterviewConducted',
    'An authority interviewed the person: purpose, professions present, child-adapted premises.',
  ),
  fact(
    'CriminalChargeFiled',
    'The person was charged with an offence, linked to the trafficking or not.',
    { description: 'legal' },
  ),
  fact(
    'ProsecutionDecided',
    'A prosecutor or court decided on a charge against the person, citing a trafficking assessment or not.',
    { 'traffickingAssessment.reference': 'legal', reasons: 'notes' },
  ),
  fact('PenaltyImposed', 'A penalty was imposed on the person.', { amount: 'legal' }),
  fact(
    'CooperationStatusChanged',
    "The person's willingness to cooperate with the authorities changed.",
  ),
  fact(
    'CompensationClaimed',
    'A compensation claim was filed by someone else (the person, a lawyer, a prosecutor).',
    { amountClaimed: 'legal' },
  ),
  {
    type: 'CompensationClaimFiled',
    schemaVersion: 1,
    origin: 'decision',
    encrypted: {
      amountClaimed: 'legal',
      reference: 'legal',
      notes: 'notes',
      'override.reason': 'notes',
    },
    description:
      "The legal advisor filed a compensation claim through Waypoint, on the person's services consent or a supervisor override.",
  },
  fact('CompensationDecided', 'A compensation claim was decided.', { amountAwarded: 'legal' }),
  fact('CompensationPaid', 'Compensation was paid, in part or in full.', { amountPaid: 'legal' }),
  {
    type: 'EventRetracted',
    schemaVersion: 1,
    origin: 'record',
    encrypted: { explanation: 'notes' },
    description: 'An earlier legal event was recorded in error and no longer counts.',
  },
  {
    type: 'EventAmended',
    schemaVersion: 1,
    origin: 'record',
    encrypted: {},
    description: 'An earlier legal event counts with corrected data.',
  },
];

export const legalFamily = new EventFamily<LegalEvent>('legal', legalEventData, LEGAL_EVENTS);
