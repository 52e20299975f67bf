import { z } from 'zod';
import type { EventDefinition } from '../classification.js';
import { eventAmended, eventRetracted } from '../corrections.js';
import { EventFamily } from '../event-family.js';
import { pastDay, plannedDay } from '../dates.js';
import { freeText, sealed } from '../sealed.js';
import { extensibleEnum } from '../vocabularies/extensible-enum.js';
import { countryCode } from '../vocabularies/htcds.js';

/**
 * The shelter family (`sheltered`): a journey's placements in shelters, its safety risk
 * assessments and incidents, in `shelter-<journeyId>`; and the shelter registry, one stream per
 * shelter in its own category (`shelterregistry-<shelterId>`).
 */

const id = z.uuid();

/** What kind of accommodation a shelter offers. */
export const SHELTER_TYPES = [
  'emergency',
  'short_stay',
  'long_stay',
  'specialised_trafficking',
  'women',
  'men',
  'children',
  'family',
  'supported_housing',
] as const;
export const shelterType = extensibleEnum(SHELTER_TYPES);

/** A supervisor's override of an overridable guard: who, which guards, and why (encrypted, notes). */
export const SHELTER_OVERRIDABLE_GUARDS = [
  'SHELTER_AT_CAPACITY',
  'ADULT_SHELTER_FOR_PRESUMED_CHILD',
  'SERVICES_CONSENT_REQUIRED',
  'EXIT_CONDITIONAL_ON_COOPERATION',
] as const;
export const shelterOverride = z.object({
  supervisorUserId: z.string().min(1).max(200),
  guards: z.array(z.enum(SHELTER_OVERRIDABLE_GUARDS)).min(1),
  reason: sealed(freeText),
});

/** Why freedom of movement is restricted: a documented, time-limited safety justification. */
export const MOVEMENT_RESTRICTION_JUSTIFICATIONS = [
  'threat_from_traffickers',
  'risk_of_self_harm',
  'child_protection',
  'court_order',
  'other',
] as const;
export const movementRestriction = z.object({
  justificationCode: z
    .enum(MOVEMENT_RESTRICTION_JUSTIFICATIONS)
    .describe('The safety reason the restriction rests on'),
  justification: sealed(freeText),
  /** When the restriction must be reviewed: it lapses unless a review continues it. */
  reviewDate: plannedDay,
});

/** The shelter as it was when the person was placed there: the audit judges the placement on it. */
export const shelterSnapshot = z.object({
  shelterId: id,
  operatorOrgId: id,
  shelterType,
  secure: z.boolean(),
  childOnly: z.boolean(),
  adultsOnly: z.boolean(),
});

/**
 * Why a placement ended. `non_cooperation` (with the authorities) is a condition the law does not
 * allow assistance to depend on (CoE 12(6), EU 11(3)): recorded only on a supervisor's override,
 * and flagged by the audit. The other codes are lawful ways for a placement to end.
 */
export const SHELTER_EXIT_REASONS = [
  'moved_to_independent_housing',
  'moved_to_other_accommodation',
  'family_reunification',
  'voluntary_return',
  'left_voluntarily',
  'went_missing',
  'hospitalised',
  'detained',
  'deceased',
  'non_cooperation',
  'rule_violation',
  'other',
] as const;
export const shelterExitReason = z.enum(SHELTER_EXIT_REASONS);

export const SHELTER_TRANSFER_REASONS = [
  'safety',
  'specialised_care',
  'closer_to_services',
  'capacity',
  'person_request',
  'other',
] as const;

export const SHELTER_RISK_LEVELS = ['low', 'medium', 'high'] as const;
export const SHELTER_SAFETY_RISKS = [
  'traffickers_know_location',
  'threats_received',
  'contact_with_exploiters',
  'family_pressure',
  'self_harm',
  'health',
  'debt',
  'retaliation',
  'other',
] as const;

export const SHELTER_INCIDENT_KINDS = [
  'threat_from_traffickers',
  'violence',
  'self_harm',
  'went_missing',
  'health_emergency',
  'conflict_between_residents',
  'police_intervention',
  'property_damage',
  'other',
] as const;

export const shelterEventData = {
  ShelterAdmitted: z.object({
    placementId: id,
    shelter: shelterSnapshot,
    /** Whether the person was presumed a child when admitted (CoE 10(3)). */
    presumedChild: z.boolean(),
    /** The services consent relied on; absent when a supervisor overrode its absence. */
    consentId: id.optional(),
    freedomOfMovementRestricted: z
      .boolean()
      .describe("Whether the person's freedom of movement is restricted in the shelter"),
    restriction: movementRestriction.optional(),
    override: shelterOverride.optional(),
  }),
  ShelterTransferred: z.object({
    placementId: id,
    fromPlacementId: id,
    fromShelterId: id,
    shelter: shelterSnapshot,
    reason: z.enum(SHELTER_TRANSFER_REASONS),
    presumedChild: z.boolean(),
    freedomOfMovementRestricted: z.boolean(),
    restriction: movementRestriction.optional(),
    override: shelterOverride.optional(),
  }),
  ShelterExited: z.object({
    placementId: id,
    shelterId: id,
    reason: shelterExitReason,
    details: sealed(freeText).optional(),
    override: shelterOverride.optional(),
  }),
  MovementRestrictionReviewed: z.object({
    placementId: id,
    outcome: z.enum(['lifted', 'continued']),
    /** When continued: the new justification and review date. */
    restriction: movementRestriction.optional(),
  }),
  RiskAssessmentCompleted: z.object({
    assessmentId: id,
    scope: z.literal('safety'),
    level: z.enum(SHELTER_RISK_LEVELS).describe('How high the safety risk was assessed'),
    risks: z
      .array(z.enum(SHELTER_SAFETY_RISKS))
      .max(SHELTER_SAFETY_RISKS.length)
      .default([])
      .describe('The safety risks found'),
    assessedByOrgId: id,
    /** The placement it was made for, when the person is placed. */
    placementId: id.optional(),
    notes: sealed(freeText).optional(),
  }),
  IncidentRecorded: z.object({
    incidentId: id,
    kind: z.enum(SHELTER_INCIDENT_KINDS).describe('What kind of incident it was'),
    severity: z.enum(['low', 'medium', 'high', 'critical']).describe('How serious it was'),
    occurredOn: pastDay,
    policeNotified: z.boolean().describe('Whether the police were told of it'),
    placementId: id.optional(),
    shelterId: id.optional(),
    description: sealed(freeText).optional(),
  }),
  EventRetracted: eventRetracted,
  EventAmended: eventAmended,
} as const;

export const shelterAddress = z
  .object({
    line1: z.string().trim().min(1).max(200).describe('The street and number'),
    line2: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe('A second address line, when needed'),
    postalCode: z.string().trim().min(1).max(20).optional().describe('The postal code'),
    city: z.string().trim().min(1).max(100).describe('The town or city'),
  })
  .describe("The shelter's address (location data, stored encrypted under the shelter's key)");

export const shelterProfile = z.object({
  /** The shelter's name as its operator uses it: an institution, not a person. */
  name: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .describe("The shelter's name as its operator uses it: an institution, not a person"),
  type: shelterType.describe(
    'What kind of accommodation the shelter offers; a local `x-` code is allowed',
  ),
  capacity: z.number().int().min(1).max(10_000).describe('How many people it can house'),
  childOnly: z.boolean().describe('Whether it takes children only'),
  adultsOnly: z.boolean().describe('Whether it takes adults only'),
  secure: z
    .boolean()
    .describe(
      "Whether it is a secure shelter: its address is shown only to its operator's staff and the data-protection officer",
    ),
});

export const shelterRegistryEventData = {
  ShelterRegistered: shelterProfile.extend({
    shelterId: id,
    operatorOrgId: id,
    country: countryCode,
    /** Location data: encrypted under the shelter's own key (its subject is the shelter). */
    address: sealed(shelterAddress),
  }),
  ShelterUpdated: shelterProfile.partial().extend({
    address: sealed(shelterAddress).optional(),
  }),
  ShelterClosed: z.object({
    reasonCode: z
      .enum(['permanently_closed', 'temporarily_closed', 'merged', 'other'])
      .describe('Why the shelter closed'),
  }),
  ShelterAddressRead: z.object({
    shelterId: id,
    userId: z.string().min(1).max(200),
    orgId: id,
    roles: z.array(z.string()).min(1),
    route: z.string().max(200),
  }),
} as const;

type Schemas = typeof shelterEventData & typeof shelterRegistryEventData;
export type ShelterEventData<Type extends keyof Schemas> = z.infer<Schemas[Type]>;

type EventOf<Schemas extends Record<string, z.ZodType>> = {
  [Type in keyof Schemas & string]: { readonly type: Type; readonly data: z.infer<Schemas[Type]> };
}[keyof Schemas & string];

export type ShelterEvent = EventOf<typeof shelterEventData>;
export type ShelterRegistryEvent = EventOf<typeof shelterRegistryEventData>;

const define = (
  type: string,
  origin: EventDefinition['origin'],
  encrypted: EventDefinition['encrypted'],
  description: string,
): EventDefinition => ({ type, schemaVersion: 1, origin, encrypted, description });

const PLACEMENT_ENCRYPTED: EventDefinition['encrypted'] = {
  'restriction.justification': 'notes',
  'override.reason': 'notes',
};

export const SHELTER_EVENTS: readonly EventDefinition[] = [
  define(
    'ShelterAdmitted',
    'decision',
    PLACEMENT_ENCRYPTED,
    'The person was admitted to a shelter (its type, security and population as then), with any restriction of movement, its justification and review date.',
  ),
  define(
    'ShelterTransferred',
    'decision',
    PLACEMENT_ENCRYPTED,
    'The open placement ended by a transfer to another shelter, which starts a new placement.',
  ),
  define(
    'ShelterExited',
    'decision',
    { details: 'notes', 'override.reason': 'notes' },
    'The open placement ended, for a reason (non_cooperation only on a supervisor override).',
  ),
  define(
    'MovementRestrictionReviewed',
    'decision',
    { 'restriction.justification': 'notes' },
    'A restriction of freedom of movement was reviewed: lifted, or continued with a new justification and review date.',
  ),
  define(
    'RiskAssessmentCompleted',
    'fact',
    { notes: 'notes' },
    "A safety risk assessment of the person's situation, with its level and the risks found.",
  ),
  define(
    'IncidentRecorded',
    'fact',
    { description: 'notes' },
    'An incident concerning the person during or around a placement.',
  ),
  define(
    'EventRetracted',
    'record',
    { explanation: 'notes' },
    'An earlier event was recorded in error and no longer counts.',
  ),
  define('EventAmended', 'record', {}, 'An earlier event counts with corrected data.'),
];

export const SHELTER_REGISTRY_EVENTS: readonly EventDefinition[] = [
  define(
    'ShelterRegistered',
    'record',
    { address: 'location' },
    "A shelter joined the registry: type, capacity, population, security; its address encrypted under the shelter's key.",
  ),
  define(
    'ShelterUpdated',
    'record',
    { address: 'location' },
    "Some of a shelter's details changed; the others stay as they were.",
  ),
  define('ShelterClosed', 'record', {}, 'The shelter admits no one any more.'),
  define(
    'ShelterAddressRead',
    'record',
    {},
    "Someone read a shelter's address: who, in which organisation and roles, through which route.",
  ),
];

export const shelterFamily = new EventFamily<ShelterEvent>(
  'shelter',
  shelterEventData,
  SHELTER_EVENTS,
);
export const shelterRegistryFamily = new EventFamily<ShelterRegistryEvent>(
  'shelterregistry',
  shelterRegistryEventData,
  SHELTER_REGISTRY_EVENTS,
);
