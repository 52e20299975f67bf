import { z } from 'zod';
import { extensibleEnum } from './extensible-enum.js';

/**
 * Vocabularies of the Human Trafficking Case Data Standard 2.0 (shared/reference/htcds-2.0-fields.txt).
 * Value names are the standard's identifiers; each list is extensible with local `x-` codes, and
 * a few well-known gaps are added as standard-looking values where practice has settled on them.
 */
export const GENDERS = [
  'Feminine',
  'Masculine',
  'TransgenderFeminine',
  'TransgenderMasculine',
  'NonConforming',
  'NonSpecifiedUnknown',
] as const;
export const gender = extensibleEnum(GENDERS);

/** vic_TraffickingStatus */
export const TRAFFICKING_STATUSES = [
  'PossibleVictimOfTrafficking',
  'ActualVictimOfTrafficking',
  'NotAVictimOfTrafficking',
] as const;
export const traffickingStatus = z.enum(TRAFFICKING_STATUSES);

/** vic_TraffickingStatusDecisionMakingOrg */
export const DECISION_MAKING_ORGS = [
  'Police',
  'NGO',
  'CourtOrProsecution',
  'NonPoliceGovernmentalOrganization',
  'Other',
] as const;
export const decisionMakingOrg = extensibleEnum(DECISION_MAKING_ORGS);

/** vic_TypeOfExploitation, with ForcedCriminality (HTCDS issue #28; Directive 2024/1712). */
export const EXPLOITATION_TYPES = [
  'ForcedLabour',
  'SexualExploitation',
  'ChildLabour',
  'ForcedMarriage',
  'Servitude',
  'ForcedMilitaryByNonStateActors',
  'OrganRemoval',
  'ForcedBegging',
  'ForcedAdoption',
  'Surrogacy',
  'ForcedCriminality',
  'Other',
] as const;
export const exploitationType = extensibleEnum(EXPLOITATION_TYPES).describe(
  'HTCDS type of exploitation; a local `x-` code is allowed',
);

/** vic_MethodsOfControl: the indicators observed. */
export const METHODS_OF_CONTROL = [
  'PhysicalThreats',
  'ThreatsLawEnforcement',
  'ThreatensChildrenFamily',
  'DebtBondage',
  'FalsePromises',
  'PhysicalAbuse',
  'SexualAbuse',
  'TakesEarnings',
  'RestrictsFinancialAccess',
  'RestrictsMedicalCare',
  'WithholdsNecessities',
  'PsychologicalAbuse',
  'PsychoactiveSubstance',
  'ExcessiveWorkingHours',
  'WithholdsDocuments',
  'RestrictedMovement',
  'Other',
] as const;
export const methodOfControl = extensibleEnum(METHODS_OF_CONTROL);

/** org_Type */
export const ORGANISATION_TYPES = [
  'NGO',
  'LawEnforcement',
  'HealthServiceOrganisation',
  'CentralGovernmentOrganisation',
  'LocalGovernmentOrganisation',
  'ImmigrationService',
  'LegalService',
  'CorporateBusiness',
  'SchoolOrCollege',
] as const;
export const organisationType = extensibleEnum(ORGANISATION_TYPES);

/** spl_Type: the assistance an organisation offers or a care plan contains. */
export const SUPPORT_PLAN_TYPES = [
  'Education',
  'Financial',
  'Health',
  'LabourExploitationRehabilitation',
  'Legal',
  'Livelihood',
  'RightsBasedTraining',
  'SexualExploitationRehabilitation',
  'SocialCare',
] as const;
export const supportPlanType = extensibleEnum(SUPPORT_PLAN_TYPES).describe(
  'HTCDS support-plan type; a local `x-` code is allowed',
);

/** cas_ReasonForOutgoingReferral */
export const REFERRAL_REASONS = [
  'AdditionalServicesRequired',
  'MigrationOrChangeOfLocation',
  'Other',
] as const;
export const referralReason = extensibleEnum(REFERRAL_REASONS);

/** CTDC age bands, which analytics and exports use instead of birth dates. */
export const AGE_BANDS = [
  '0-8',
  '9-17',
  '18-20',
  '21-23',
  '24-26',
  '27-29',
  '30-38',
  '39-47',
  '48+',
  'unknown',
] as const;
export const ageBand = z.enum(AGE_BANDS).describe('CTDC age band, in years');

/** ISO 3166-1 alpha-2 country code (citizenship, jurisdiction). */
export const countryCode = z
  .string()
  .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as NL')
  .describe('ISO 3166-1 alpha-2 country code (NL)');
/** ISO 639 language code (two or three letters). */
export const languageCode = z
  .string()
  .regex(/^[a-z]{2,3}$/, 'an ISO 639 code such as en or tir')
  .describe('ISO 639 language code (en, tir)');
