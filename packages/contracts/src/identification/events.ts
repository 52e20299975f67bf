import { z } from 'zod';
import type { EventDefinition } from '../classification.js';
import { eventAmended, eventRetracted } from '../corrections.js';
import { EventFamily } from '../event-family.js';
import { pastDay, plannedInstant } from '../dates.js';
import { freeText, sealed } from '../sealed.js';
import {
  ageBand,
  countryCode,
  decisionMakingOrg,
  exploitationType,
  gender,
  languageCode,
  methodOfControl,
  organisationType,
  referralReason,
  supportPlanType,
  traffickingStatus,
} from '../vocabularies/htcds.js';

/** The identification family (`identified`): the journey, the person registry, organisations. */

const id = z.uuid();

export const decidingBody = z
  .object({
    type: decisionMakingOrg.describe('What kind of body decided'),
    /** The deciding organisation when it is in the directory. */
    orgId: id.optional().describe('The deciding organisation, when it is in the directory'),
    /** The body's name as it signs (a court, a police unit): an institution, not a person. */
    name: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .describe('The body as it signs (a court, a police unit): an institution, not a person'),
  })
  .describe('The body that took the decision');

/** The reasons a deciding body gives for an identification decision, as codes. */
const reasonCodes = z
  .array(z.string().regex(/^[a-z0-9_-]{1,64}$/))
  .max(20)
  .describe('The reasons the body gave, as codes in lower_snake_case');
/** The legal provision an identification decision rests on, as the deciding body cites it. */
const legalBasis = z
  .string()
  .min(1)
  .max(200)
  .describe('The legal provision the decision rests on, as the body cites it');

export const identity = z
  .object({
    givenName: z.string().trim().min(1).max(200).describe("The person's given name"),
    familyName: z.string().trim().min(1).max(200).describe("The person's family name"),
    otherNames: z
      .array(z.string().trim().min(1).max(200))
      .max(10)
      .optional()
      .describe('Other names the person uses or is known by'),
    birthDate: pastDay.optional(),
  })
  .describe('Who the person is: names and birth date (identity data, stored encrypted)');

export const CONSENT_SCOPES = ['services', 'sharing', 'anonymous_reporting', 'tracing'] as const;
export const consentScope = z.enum(CONSENT_SCOPES);

export const INFORMATION_TOPICS = [
  'rights',
  'services',
  'legal_proceedings',
  'reflection_period',
  'international_protection',
  'compensation',
  'consular',
  'return_and_destination_contacts',
] as const;

/** The consent checklist of HTCDS con_Consent: what the person was told before agreeing. */
export const CONSENT_CHECKLIST = [
  'purpose',
  'use_of_data',
  'research_use',
  'right_to_access',
  'storage_duration',
  'how_to_withdraw',
] as const;

export const identificationEventData = {
  JourneyOpened: z.object({
    journeyId: id,
    personId: id,
    /** The jurisdiction profile the journey runs under (audit time limits, time zone). */
    jurisdiction: z
      .string()
      .regex(/^[A-Z]{2}(?:-[A-Z0-9]{1,8})?$/)
      .describe('The jurisdiction profile the journey runs under (audit time limits, time zone)'),
    openedByOrgId: id,
    /** Why a second journey is opened while another is open. */
    additionalJourneyReason: sealed(freeText)
      .optional()
      .describe('Why a second journey is opened while another is open (stored encrypted)'),
  }),
  FirstContactRecorded: z.object({
    channel: z
      .enum([
        'outreach',
        'hotline',
        'police',
        'labour_inspection',
        'health_service',
        'self_referral',
        'ngo',
        'other',
      ])
      .describe('How the first contact with the person came about'),
    location: sealed(freeText).optional(),
  }),
  IndicatorsObserved: z.object({
    indicators: z
      .array(methodOfControl)
      .min(1)
      .max(30)
      .describe(
        'The indicators observed, as HTCDS methods of control; a local `x-` code is allowed',
      ),
    exploitationTypes: z
      .array(exploitationType)
      .max(12)
      .default([])
      .describe('The types of exploitation the indicators point to, when known'),
    observedByOrgId: id.describe('The organisation whose staff observed the indicators'),
    notes: sealed(freeText).optional(),
  }),
  ReasonableGroundsDecided: z.object({
    outcome: z
      .enum(['positive', 'negative'])
      .describe('Whether the body found reasonable grounds to believe the person is a victim'),
    decidingBody,
    reasonCodes,
    rationale: sealed(freeText).optional(),
    legalBasis,
  }),
  ConclusiveGroundsDecided: z.object({
    status: traffickingStatus
      .exclude(['PossibleVictimOfTrafficking'])
      .describe("The person's trafficking status as the body concluded it (HTCDS)"),
    decidingBody,
    reasonCodes,
    rationale: sealed(freeText).optional(),
    legalBasis,
  }),
  AgeUncertaintyRecorded: z.object({
    reasonsToBelieveChild: z
      .array(z.enum(['appearance', 'own_statement', 'documents', 'third_party', 'other']))
      .min(1)
      .describe('What gives reason to believe the person is a child'),
  }),
  AgeAssessed: z.object({
    outcome: z
      .enum(['child', 'adult'])
      .describe('Whether the assessment found the person a child or an adult'),
    method: z
      .enum(['documents', 'multidisciplinary', 'medical', 'interview', 'other'])
      .describe('How the age was assessed'),
    assessedByOrgId: id
      .optional()
      .describe('The organisation that assessed the age, when it is in the directory'),
    ageBand: ageBand.optional(),
  }),
  UnaccompaniedChildRecorded: z.object({
    separated: z
      .boolean()
      .describe(
        'Separated from parents or usual caregiver but not alone (with other relatives or adults), rather than unaccompanied',
      ),
  }),
  GuardianAppointed: z.object({
    appointedBy: decidingBody,
    guardianOrgId: id
      .optional()
      .describe("The guardian's organisation, when it is in the directory"),
    guardianName: sealed(z.string().trim().min(1).max(200)).describe(
      "The guardian's or representative's name (identity data, stored encrypted)",
    ),
  }),
  ConsentRecorded: z.object({
    consentId: id.describe(
      'An id for this consent, chosen by the client; referrals and withdrawals name it',
    ),
    scope: consentScope.describe('What the consent covers'),
    givenBy: z
      .enum(['self', 'guardian'])
      .describe('Who gave the consent: the person, or their guardian'),
    informedOf: z
      .array(z.enum(CONSENT_CHECKLIST))
      .min(1)
      .describe('What the person was told before agreeing (the HTCDS consent checklist)'),
    /** For sharing: the organisations it covers; empty means any organisation referred to. */
    sharingWithOrgIds: z
      .array(id)
      .max(50)
      .default([])
      .describe(
        'For sharing: the organisations it covers; empty means any organisation referred to',
      ),
    validUntil: plannedInstant.optional(),
  }),
  ConsentWithdrawn: z.object({
    consentId: id,
    scope: consentScope,
  }),
  InformationProvided: z.object({
    topic: z.enum(INFORMATION_TOPICS).describe('What the person was informed about'),
    language: languageCode,
    interpreterUsed: z.boolean().describe('An interpreter took part'),
  }),
  ReferralMade: z.object({
    referralId: id,
    toOrgId: id.describe('The organisation the journey is referred to, from the directory'),
    reason: referralReason.describe(
      'Why the journey is referred (HTCDS reason for referral); a local `x-` code is allowed',
    ),
    services: z
      .array(supportPlanType)
      .max(12)
      .default([])
      .describe('The services the person is referred for'),
    /** The sharing consent relied on, or else the supervisor's override. */
    consentId: id
      .optional()
      .describe("The sharing consent relied on; absent when a supervisor's override stands in"),
    override: z
      .object({ supervisorUserId: z.string().min(1).max(200), reason: sealed(freeText) })
      .optional(),
    details: sealed(freeText).optional(),
  }),
  ReferralAccepted: z.object({ referralId: id, byOrgId: id }),
  ReferralRejected: z.object({
    referralId: id,
    byOrgId: id,
    reasonCode: z
      .enum(['no_capacity', 'not_eligible', 'out_of_area', 'other'])
      .describe('Why the organisation declined the referral'),
  }),
  ReferralCompleted: z.object({ referralId: id }),
  EventRetracted: eventRetracted,
  EventAmended: eventAmended,
} as const;

export const personEventData = {
  PersonRegistered: z.object({
    personId: id,
    identity: sealed(identity),
    /** Keyed HMACs of normalised values: equality search without plaintext. */
    blindIndexes: z.object({
      name: z.string().max(100),
      nameAndBirthDate: z.string().max(100).optional(),
    }),
    gender: gender.describe("The person's gender (HTCDS); a local `x-` code is allowed"),
    ageBand,
    child: z
      .enum(['yes', 'no', 'unknown'])
      .describe('Whether the person is a child, as far as is known at registration'),
    citizenship: z.array(countryCode).max(5).describe('The countries the person is a citizen of'),
    languages: z.array(languageCode).min(1).max(10).describe('The languages the person speaks'),
    registeredByOrgId: id,
  }),
  PersonJourneyOpened: z.object({
    journeyId: id,
    openedByOrgId: id,
    /** Kept here too, so that a journey whose opening was interrupted can be completed. */
    jurisdiction: z.string().regex(/^[A-Z]{2}(?:-[A-Z0-9]{1,8})?$/),
    additional: z.boolean(),
    /** Why another journey was opened while one was open (encrypted, notes). */
    additionalJourneyReason: sealed(freeText).optional(),
  }),
} as const;

export const organisationEventData = {
  OrganisationRegistered: z.object({
    orgId: id,
    name: z.string().trim().min(1).max(200).describe("The organisation's name"),
    type: organisationType.describe(
      'What kind of organisation it is (HTCDS); a local `x-` code is allowed',
    ),
    country: countryCode,
    acceptsReferrals: z.boolean().describe('Whether the organisation takes referrals'),
    services: z.array(supportPlanType).max(12).describe('The services the organisation offers'),
  }),
} as const;

type DataSchemas = typeof identificationEventData &
  typeof personEventData &
  typeof organisationEventData;
export type EventData<Type extends keyof DataSchemas> = z.infer<DataSchemas[Type]>;

type EventOf<Schemas extends Record<string, z.ZodType>> = {
  [Type in keyof Schemas & string]: { readonly type: Type; readonly data: z.infer<Schemas[Type]> };
}[keyof Schemas & string];

export type IdentificationEvent = EventOf<typeof identificationEventData>;
export type PersonEvent = EventOf<typeof personEventData>;
export type OrganisationEvent = EventOf<typeof organisationEventData>;

const define = (
  type: string,
  origin: EventDefinition['origin'],
  encrypted: EventDefinition['encrypted'],
  description: string,
): EventDefinition => ({ type, schemaVersion: 1, origin, encrypted, description });

/** Version, origin and classification of every event of the family: the catalogue is built from it. */
export const IDENTIFICATION_EVENTS: readonly EventDefinition[] = [
  define(
    'JourneyOpened',
    'decision',
    { additionalJourneyReason: 'notes' },
    'A journey starts for a registered person, under a jurisdiction.',
  ),
  define(
    'FirstContactRecorded',
    'fact',
    { location: 'location' },
    'The first contact with the person, by channel.',
  ),
  define(
    'IndicatorsObserved',
    'fact',
    { notes: 'notes' },
    'Indicators of trafficking (HTCDS methods of control) were observed.',
  ),
  define(
    'ReasonableGroundsDecided',
    'fact',
    { rationale: 'notes' },
    'A competent body decided whether there are reasonable grounds to believe the person is a victim.',
  ),
  define(
    'ConclusiveGroundsDecided',
    'fact',
    { rationale: 'notes' },
    'A competent body took the conclusive identification decision (HTCDS trafficking status).',
  ),
  define(
    'AgeUncertaintyRecorded',
    'fact',
    {},
    'There are reasons to believe the person is a child: presumed a child until assessed.',
  ),
  define('AgeAssessed', 'fact', {}, 'An age assessment concluded child or adult.'),
  define('UnaccompaniedChildRecorded', 'fact', {}, 'The child is unaccompanied or separated.'),
  define(
    'GuardianAppointed',
    'fact',
    { guardianName: 'identity' },
    'A guardian or representative was appointed for the child.',
  ),
  define(
    'ConsentRecorded',
    'fact',
    {},
    'The person (or guardian) gave informed consent for one scope.',
  ),
  define('ConsentWithdrawn', 'fact', {}, 'Consent for one scope was withdrawn.'),
  define(
    'InformationProvided',
    'fact',
    {},
    'The person was informed on a topic, in a language, with or without an interpreter.',
  ),
  define(
    'ReferralMade',
    'decision',
    { 'override.reason': 'notes', details: 'notes' },
    'The journey was referred to another organisation, on a sharing consent or a supervisor override.',
  ),
  define(
    'ReferralAccepted',
    'decision',
    {},
    'The referred organisation accepted; it now sees the journey.',
  ),
  define('ReferralRejected', 'decision', {}, 'The referred organisation declined.'),
  define(
    'ReferralCompleted',
    'fact',
    {},
    'The referral ended; the organisation no longer sees the journey through it.',
  ),
  define(
    'EventRetracted',
    'record',
    { explanation: 'notes' },
    'An earlier event was recorded in error and no longer counts.',
  ),
  define('EventAmended', 'record', {}, 'An earlier event counts with corrected data.'),
];

export const PERSON_EVENTS: readonly EventDefinition[] = [
  define(
    'PersonRegistered',
    'record',
    { identity: 'identity' },
    'A person entered the registry; identity encrypted, coarse codes in clear.',
  ),
  define(
    'PersonJourneyOpened',
    'decision',
    { additionalJourneyReason: 'notes' },
    'A journey was opened for the person (guards one open journey at a time).',
  ),
];

export const ORGANISATION_EVENTS: readonly EventDefinition[] = [
  define(
    'OrganisationRegistered',
    'record',
    {},
    'An organisation joined the directory of referral targets.',
  ),
];

export const identificationFamily = new EventFamily<IdentificationEvent>(
  'identification',
  identificationEventData,
  IDENTIFICATION_EVENTS,
);
export const personFamily = new EventFamily<PersonEvent>('person', personEventData, PERSON_EVENTS);
export const organisationFamily = new EventFamily<OrganisationEvent>(
  'organisation',
  organisationEventData,
  ORGANISATION_EVENTS,
);
