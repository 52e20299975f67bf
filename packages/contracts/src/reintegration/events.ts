import { z } from 'zod';
import type { EventDefinition } from '../classification.js';
import { eventAmended, eventRetracted } from '../corrections.js';
import { EventFamily } from '../event-family.js';
import { decidingBody } from '../identification/events.js';
import { plannedDay } from '../dates.js';
import { freeText, sealed } from '../sealed.js';
import {
  countryCode,
  exploitationType,
  languageCode,
  supportPlanType,
} from '../vocabularies/htcds.js';

/**
 * The reintegration family (`reintegration-review`, streams `reintegration-<journeyId>`): the
 * assessments before a return, the return itself (an authority's decision recorded as a fact, or an
 * assisted return decided through Waypoint under guard), reception, the reintegration plan, the
 * periodic reviews with their RSS scores, re-trafficking, and the closing of the journey.
 */

const id = z.uuid();
/** A local code (x-...) or one of ours: reason and precondition codes stay in clear. */
const code = z.string().regex(/^[a-z0-9_-]{1,64}$/);

export const REINTEGRATION_RISK_SCOPES = ['return', 're_trafficking', 'reprisal'] as const;
export const REINTEGRATION_RISK_LEVELS = ['low', 'medium', 'high'] as const;

/** The precondition codes an assisted-return decision checks; an override names those it waives. */
export const ASSISTED_RETURN_PRECONDITIONS = [
  'RETURN_RISK_ASSESSMENT_REQUIRED',
  'RETURN_RISK_ASSESSMENT_OUTDATED',
  'RETURN_RISK_HIGH',
  'RETURN_NOT_VOLUNTARY',
  'BEST_INTERESTS_DETERMINATION_REQUIRED',
  'BEST_INTERESTS_NOT_RETURN',
  'FAMILY_ASSESSMENT_REQUIRED',
  'FAMILY_NOT_ABLE_OR_WILLING',
  'CHILD_VIEWS_REQUIRED',
  'GUARDIAN_REQUIRED',
] as const;

/** Where the person returns to: a family (the one a family assessment covered) or elsewhere. */
export const returnDestination = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('family').describe('The person returns to a family'),
      /** The family assessment of this family; required for a child by the assisted-return guard. */
      familyAssessmentId: id
        .optional()
        .describe(
          'The family assessment of this family; required for a child by the assisted-return guard',
        ),
      address: sealed(freeText).optional(),
    }),
    z.object({
      kind: z.literal('other').describe('The person returns somewhere other than a family'),
      placeType: z
        .enum([
          'own_accommodation',
          'other_relatives',
          'foster_or_residential_care',
          'shelter',
          'independent_living',
          'other',
        ])
        .describe('What kind of place the person returns to'),
      address: sealed(freeText).optional(),
    }),
  ])
  .describe('Where the person returns to: a family, or another place');

const rssScore = z.number().min(0).max(1);
/** An id the client chooses for a return, by which its execution and reception refer to it. */
const returnId = id.describe(
  'An id for this return, chosen by the client; its execution and reception name it',
);
const voluntary = z.boolean().describe('Whether the person returns voluntarily');

/**
 * The person's situation as a review found it, in coarse codes only (IOM RSS items, the NEXUS
 * re/integration aspects): HTCDS has no vocabulary for these, so they follow this file's codes.
 * `unknown` (or `declined`) is an answer; a field left out was not asked.
 */
export const REVIEW_HOUSING = [
  'stable_own',
  'stable_family',
  'shelter_or_temporary',
  'homeless',
  'unknown',
] as const;
export const REVIEW_WORK = [
  'employed',
  'self_employed',
  'in_training',
  'unemployed_seeking',
  'not_seeking',
  'unknown',
] as const;
/** For children; `not_applicable` for an adult or a child not of school age. */
export const REVIEW_SCHOOL = [
  'enrolled_attending',
  'enrolled_not_attending',
  'not_enrolled',
  'not_applicable',
  'unknown',
] as const;
/** The person's own answer to "do you feel physically safe where you live?". */
export const REVIEW_FEELS_SAFE = ['yes', 'somewhat', 'no', 'declined'] as const;
/** Where the person lives now: a returned citizen has no residence status in question. */
export const REVIEW_LEGAL_STATUS = [
  'regular',
  'pending',
  'irregular',
  'citizen_returned',
  'unknown',
] as const;

export const reviewSituation = z.object({
  housing: z.enum(REVIEW_HOUSING).optional().describe("The person's housing"),
  work: z.enum(REVIEW_WORK).optional().describe("The person's work or training"),
  school: z
    .enum(REVIEW_SCHOOL)
    .optional()
    .describe('For a child: whether they are enrolled at school and attend'),
  feelsSafe: z
    .enum(REVIEW_FEELS_SAFE)
    .optional()
    .describe("The person's own answer to whether they feel physically safe where they live"),
  legalStatus: z
    .enum(REVIEW_LEGAL_STATUS)
    .optional()
    .describe("The person's residence status where they live now"),
});
export type ReviewSituation = z.infer<typeof reviewSituation>;

export const reintegrationEventData = {
  RiskAssessmentCompleted: z.object({
    scope: z.enum(REINTEGRATION_RISK_SCOPES).describe('Which risk was assessed'),
    level: z.enum(REINTEGRATION_RISK_LEVELS).describe('How high the risk was assessed'),
    assessedBy: decidingBody,
    /** The country a return would go to, when the assessment is about one. */
    countryOfReturn: countryCode.optional(),
    narrative: sealed(freeText).optional(),
  }),
  FamilyAssessmentCompleted: z.object({
    familyAssessmentId: id.describe(
      'An id for this assessment, chosen by the client; a return to this family names it',
    ),
    relationship: z
      .enum([
        'parents',
        'mother',
        'father',
        'grandparents',
        'siblings',
        'other_relatives',
        'spouse_or_partner',
        'other',
      ])
      .describe('How the family assessed is related to the person'),
    /** The family (or a member) was involved in the trafficking. */
    familyImplicated: z
      .boolean()
      .describe('Whether the family, or a member of it, was involved in the trafficking'),
    ableToCare: z.boolean().describe('Whether the family is able to care for the person'),
    willingToCare: z.boolean().describe('Whether the family is willing to care for the person'),
    assessedBy: decidingBody,
    narrative: sealed(freeText).optional(),
  }),
  BestInterestsDetermined: z.object({
    durableSolution: z
      .enum(['local_integration', 'return', 'third_country'])
      .describe("The durable solution found to be in the child's best interests"),
    determinedBy: decidingBody,
    rationale: sealed(freeText).optional(),
  }),
  ChildViewsRecorded: z.object({
    /** What the child wants, as a coarse code; the child's own words are in `views`. */
    wishAboutReturn: z
      .enum(['wants_return', 'does_not_want_return', 'undecided', 'not_expressed'])
      .describe("What the child wants about returning; the child's own words are in `views`"),
    language: languageCode,
    interpreterUsed: z.boolean().describe('An interpreter took part'),
    guardianPresent: z.boolean().describe("Whether the child's guardian was present"),
    views: sealed(freeText),
  }),
  ReturnDecided: z.object({
    returnId,
    decidingBody,
    voluntary,
    destination: returnDestination,
    countryOfReturn: countryCode,
    legalBasis: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe('The legal provision the decision rests on, as the body cites it'),
    rationale: sealed(freeText).optional(),
  }),
  AssistedReturnDecided: z.object({
    returnId,
    decidedByOrgId: id,
    voluntary,
    destination: returnDestination,
    countryOfReturn: countryCode,
    plannedDate: plannedDay.optional(),
    /** Whether the person was presumed a child when it was decided (the child guards applied). */
    presumedChild: z.boolean(),
    /** The events the decision relied on: evidence for the audit. */
    basis: z.object({
      riskAssessmentEventId: id.optional(),
      bestInterestsEventId: id.optional(),
      familyAssessmentEventId: id.optional(),
      childViewsEventId: id.optional(),
    }),
    /** True when a supervisor waived preconditions: the AssistedReturnOverrideRecorded before it says which. */
    overridden: z.boolean(),
  }),
  AssistedReturnOverrideRecorded: z.object({
    returnId: id,
    supervisorUserId: z.string().min(1).max(200),
    waived: z.array(z.enum(ASSISTED_RETURN_PRECONDITIONS)).min(1),
    reason: sealed(freeText),
  }),
  ReturnExecuted: z.object({
    /** The decision carried out, when it is on record here. */
    returnId: id.optional().describe('The return decision carried out, when it is on record here'),
    executedBy: decidingBody,
    countryOfReturn: countryCode,
    escorted: z.boolean().optional().describe('Whether the person was escorted on the return'),
  }),
  ReceptionArrangedAtDestination: z.object({
    returnId: id.optional().describe('The return the reception is for, when it is on record here'),
    receivingOrg: z
      .object({
        name: z.string().trim().min(1).max(200).describe("The receiving organisation's name"),
        country: countryCode,
        orgId: id
          .optional()
          .describe('The receiving organisation in the directory, when it is there'),
      })
      .describe('The organisation that receives the person at the destination'),
    services: z
      .array(supportPlanType)
      .max(12)
      .default([])
      .describe('The services arranged for the person at the destination'),
    /** The person was given the receiving organisation's contacts (CoE 16(6)). */
    contactsGiven: z
      .boolean()
      .describe("Whether the person was given the receiving organisation's contacts"),
    receptionAddress: sealed(freeText).optional(),
  }),
  ReintegrationPlanCreated: z.object({
    planId: id.describe('An id for this plan, chosen by the client'),
    setting: z
      .enum(['after_return', 'local_integration', 'third_country'])
      .describe('Where the person is to reintegrate'),
    supportAreas: z
      .array(supportPlanType)
      .min(1)
      .max(12)
      .describe('The areas the plan supports the person in'),
    firstReviewDue: plannedDay,
    goals: sealed(freeText).optional(),
  }),
  ReintegrationReviewCompleted: z.object({
    reviewId: id.describe('An id for this review, chosen by the client'),
    method: z
      .enum(['in_person', 'phone', 'video', 'partner_report'])
      .describe('How the review was carried out'),
    /** Reintegration Sustainability Survey scores, 0 to 1; the composite as the survey tool computed it. */
    scores: z
      .object({
        economic: rssScore.describe('The economic dimension score, 0 to 1'),
        social: rssScore.describe('The social dimension score, 0 to 1'),
        psychosocial: rssScore.describe('The psychosocial dimension score, 0 to 1'),
        composite: rssScore
          .optional()
          .describe('The composite score, 0 to 1, as the survey tool computed it'),
      })
      .describe('Reintegration Sustainability Survey scores, 0 to 1'),
    /** Housing, work, school, feeling safe and legal status as found; absent on earlier reviews. */
    situation: reviewSituation
      .optional()
      .describe(
        "The person's situation as the review found it, in coarse codes; a field left out was not asked",
      ),
    /** Absent when no further review is planned. */
    nextReviewDue: plannedDay.optional(),
    notes: sealed(freeText).optional(),
  }),
  ReTraffickingReported: z.object({
    source: z
      .enum(['person', 'family', 'police', 'ngo', 'partner_org', 'other'])
      .describe('Who reported it'),
    exploitationTypes: z
      .array(exploitationType)
      .max(12)
      .default([])
      .describe('The types of exploitation reported, when known'),
    country: countryCode.optional(),
    details: sealed(freeText).optional(),
  }),
  JourneyClosed: z.object({
    reason: z
      .enum([
        'reintegrated',
        'lost_to_follow_up',
        'declined_further_support',
        'moved_out_of_reach',
        'transferred',
        'deceased',
        'other',
      ])
      .describe('Why the journey is closed'),
    reasonCodes: z
      .array(code)
      .max(10)
      .default([])
      .describe('Further reasons, as codes; a local `x-` code is allowed'),
    explanation: sealed(freeText).optional(),
  }),
  EventRetracted: eventRetracted,
  EventAmended: eventAmended,
} as const;

type DataSchemas = typeof reintegrationEventData;
export type ReintegrationEventData<Type extends keyof DataSchemas> = z.infer<DataSchemas[Type]>;

type ReintegrationEventType = keyof DataSchemas;

export type ReintegrationEvent = {
  [Type in ReintegrationEventType]: {
    readonly type: Type;
    readonly data: z.infer<DataSchemas[Type]>;
  };
}[ReintegrationEventType];

const define = (
  type: ReintegrationEventType,
  origin: EventDefinition['origin'],
  encrypted: EventDefinition['encrypted'],
  description: string,
): EventDefinition => ({ type, schemaVersion: 1, origin, encrypted, description });

/** Version, origin and classification of every event of the family: the catalogue is built from it. */
export const REINTEGRATION_EVENTS: readonly EventDefinition[] = [
  define(
    'RiskAssessmentCompleted',
    'fact',
    { narrative: 'notes' },
    'A risk assessment (return, re-trafficking or reprisal) rated the risk low, medium or high.',
  ),
  define(
    'FamilyAssessmentCompleted',
    'fact',
    { narrative: 'notes' },
    'A family was assessed: implicated in the trafficking or not, able and willing to care or not.',
  ),
  define(
    'BestInterestsDetermined',
    'fact',
    { rationale: 'notes' },
    'A best-interests determination for the child chose a durable solution.',
  ),
  define(
    'ChildViewsRecorded',
    'fact',
    { views: 'notes' },
    "The child's views were heard and recorded, in a language, with or without an interpreter.",
  ),
  define(
    'ReturnDecided',
    'fact',
    { 'destination.address': 'location', rationale: 'notes' },
    'An authority decided a return (voluntary or not, to a family or elsewhere).',
  ),
  define(
    'AssistedReturnDecided',
    'decision',
    { 'destination.address': 'location' },
    'An assisted return decided through Waypoint, after its preconditions were checked or waived.',
  ),
  define(
    'AssistedReturnOverrideRecorded',
    'decision',
    { reason: 'notes' },
    'A supervisor waived named preconditions of an assisted return, with a reason.',
  ),
  define('ReturnExecuted', 'fact', {}, 'The person was returned to a country, by the body named.'),
  define(
    'ReceptionArrangedAtDestination',
    'fact',
    { receptionAddress: 'location' },
    'Reception by an organisation at the destination was arranged.',
  ),
  define(
    'ReintegrationPlanCreated',
    'decision',
    { goals: 'notes' },
    'A reintegration plan: support areas and the first review date.',
  ),
  define(
    'ReintegrationReviewCompleted',
    'fact',
    { notes: 'notes' },
    'A periodic review with economic, social and psychosocial scores (0 to 1), the situation found (housing, work, school, feeling safe, legal status: codes) and the next review date.',
  ),
  define(
    'ReTraffickingReported',
    'fact',
    { details: 'notes' },
    'The person was reported re-trafficked.',
  ),
  define(
    'JourneyClosed',
    'decision',
    { explanation: 'notes' },
    'The reintegration journey was closed, with a reason.',
  ),
  define(
    'EventRetracted',
    'record',
    { explanation: 'notes' },
    'An earlier event was recorded in error and no longer counts.',
  ),
  define('EventAmended', 'record', {}, 'An earlier event counts with corrected data.'),
];

export const reintegrationFamily = new EventFamily<ReintegrationEvent>(
  'reintegration-review',
  reintegrationEventData,
  REINTEGRATION_EVENTS,
);
