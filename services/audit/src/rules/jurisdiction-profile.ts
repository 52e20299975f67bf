import { isTimeZone } from '@waypoint/contracts';
import { z } from 'zod';

/**
 * A jurisdiction's audit profile: the time limits the instruments leave to national policy, the
 * zone day-based limits are counted in, and the organisations that act as its National Referral
 * Mechanism. Profiles are versioned with the date they take effect: an audit as of a date uses the
 * version in force then. Only the 30-day reflection minimum is fixed in law, and is not here.
 */
export const auditLimitsSchema = z.object({
  /** ID-02: hours from the record of an unaccompanied child to a guardian. */
  guardianHours: z.number().int().positive(),
  /** ID-06: days from indicators to a reasonable-grounds decision or a referral. */
  identificationFollowUpDays: z.number().int().positive(),
  /** AS-01: days from a positive reasonable-grounds decision to the first assistance. */
  assistanceStartDays: z.number().int().positive(),
  /** AS-02: days after a declined cooperation within which an unexplained end is suspect. */
  cooperationEndDays: z.number().int().positive(),
  /** AS-05: the first days after reasonable grounds the basket is checked over, without a reflection period. */
  minimumBasketDays: z.number().int().positive(),
  /** AS-07: days from the first contact to a safety risk assessment. */
  safetyAssessmentDays: z.number().int().positive(),
  /** RR-01: days from a positive reasonable-grounds decision to the grant of a reflection period. */
  reflectionGrantDays: z.number().int().positive(),
  /** RP-01: days from the end of the reflection period or a conclusive decision to a residence decision. */
  residenceDecisionDays: z.number().int().positive(),
  /** LG-03: interviews beyond which secondary victimisation is flagged. */
  maxInterviews: z.number().int().positive(),
  /** LG-03: different professions beyond which a child's interviews are flagged. */
  maxChildInterviewProfessions: z.number().int().positive(),
  /** LG-04: days from a positive reasonable-grounds decision to information on compensation. */
  compensationInformationDays: z.number().int().positive(),
  /** RT-01: the oldest a return risk assessment may be when the return is executed, in days. */
  returnRiskAssessmentMaxAgeDays: z.number().int().positive(),
  /** RT-06: months after the return a review is due. */
  postReturnReviewMonths: z.array(z.number().int().positive()).min(1),
  /** RT-06: days either side of a due month a review still counts. */
  postReturnReviewToleranceDays: z.number().int().nonnegative(),
  /** NRM-01: days from indicators or reasonable grounds to a referral into the NRM. */
  nrmReferralDays: z.number().int().positive(),
});
export type AuditLimits = z.infer<typeof auditLimitsSchema>;

export const jurisdictionProfileSchema = z.object({
  /** The code journeys carry (`NL`, `BE-VLG`). */
  jurisdiction: z.string().regex(/^[A-Z]{2}(?:-[A-Z0-9]{1,8})?$/),
  version: z.number().int().positive(),
  /** The first local date this version applies (inclusive). */
  effectiveFrom: z.iso.date(),
  timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Europe/Amsterdam'),
  limits: auditLimitsSchema,
  /** The organisations that are the National Referral Mechanism or focal point (NRM-01). */
  nrmOrgIds: z.array(z.uuid()).default([]),
});
export type JurisdictionProfile = z.infer<typeof jurisdictionProfileSchema>;

/** Limits most monitors use as a starting point; a deployment's configuration replaces them. */
export const DEFAULT_LIMITS: AuditLimits = {
  guardianHours: 24,
  identificationFollowUpDays: 14,
  assistanceStartDays: 3,
  cooperationEndDays: 30,
  minimumBasketDays: 30,
  safetyAssessmentDays: 7,
  reflectionGrantDays: 7,
  residenceDecisionDays: 90,
  maxInterviews: 3,
  maxChildInterviewProfessions: 2,
  compensationInformationDays: 30,
  returnRiskAssessmentMaxAgeDays: 90,
  postReturnReviewMonths: [3, 6, 12],
  postReturnReviewToleranceDays: 30,
  nrmReferralDays: 7,
};

export class UnknownJurisdictionError extends Error {
  readonly code = 'AUDIT_JURISDICTION_UNKNOWN';
  constructor(
    readonly jurisdiction: string,
    readonly at: string,
  ) {
    super(`No audit profile for ${jurisdiction} in force on ${at}`);
    this.name = 'UnknownJurisdictionError';
  }
}

/**
 * The profile version in force for a jurisdiction on a local date: the latest whose
 * `effectiveFrom` is not after it. A sub-national code (`BE-VLG`) falls back to its country's.
 */
export function profileInForce(
  profiles: readonly JurisdictionProfile[],
  jurisdiction: string,
  onDate: string,
): JurisdictionProfile {
  const candidates = [jurisdiction, jurisdiction.slice(0, 2)];
  for (const code of candidates) {
    const inForce = profiles
      .filter((profile) => profile.jurisdiction === code && profile.effectiveFrom <= onDate)
      .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom) || b.version - a.version)[0];
    if (inForce) return inForce;
  }
  throw new UnknownJurisdictionError(jurisdiction, onDate);
}

/** Parses configured profiles (JSON), refusing duplicates of a jurisdiction and version. */
export function parseProfiles(input: unknown): JurisdictionProfile[] {
  const profiles = z.array(jurisdictionProfileSchema).min(1).parse(input);
  const seen = new Set<string>();
  for (const profile of profiles) {
    const key = `${profile.jurisdiction}@${String(profile.version)}`;
    if (seen.has(key)) throw new Error(`Duplicate audit profile ${key}`);
    seen.add(key);
  }
  return profiles;
}
