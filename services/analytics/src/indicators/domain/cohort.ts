import type { JourneyFacts } from '../../facts/domain/journey-facts.js';
import type { PrivacyRules } from './privacy.js';

/** Which journeys an aggregate covers: coarse keys only, dates as years. */
export interface CohortFilter {
  /** First and last year of identification (inclusive). */
  readonly fromYear?: number;
  readonly toYear?: number;
  readonly quarter?: 1 | 2 | 3 | 4;
  readonly gender?: string;
  readonly ageBand?: string;
  readonly child?: boolean;
  readonly exploitationType?: string;
  readonly citizenshipRegion?: string;
  readonly organisationId?: string;
}

export const yearOf = (at: string | null): number | null =>
  at === null ? null : Number(at.slice(0, 4));
export const quarterOf = (at: string | null): number | null =>
  at === null ? null : Math.floor((Number(at.slice(5, 7)) - 1) / 3) + 1;

/** A journey's consent to anonymous reporting holds at `asOf`. */
export function consented(facts: JourneyFacts, asOf: string): boolean {
  return (
    facts.consentAnonymousReporting &&
    (facts.consentAnonymousReportingUntil === null || facts.consentAnonymousReportingUntil > asOf)
  );
}

export function matches(facts: JourneyFacts, filter: CohortFilter): boolean {
  const year = yearOf(facts.identifiedAt);
  if (filter.fromYear !== undefined && (year === null || year < filter.fromYear)) return false;
  if (filter.toYear !== undefined && (year === null || year > filter.toYear)) return false;
  if (filter.quarter !== undefined && quarterOf(facts.identifiedAt) !== filter.quarter)
    return false;
  if (filter.gender !== undefined && facts.gender !== filter.gender) return false;
  if (filter.ageBand !== undefined && facts.ageBand !== filter.ageBand) return false;
  if (filter.child !== undefined && facts.child !== filter.child) return false;
  if (
    filter.exploitationType !== undefined &&
    !facts.exploitationTypes.includes(filter.exploitationType)
  )
    return false;
  if (
    filter.citizenshipRegion !== undefined &&
    facts.citizenshipRegion !== filter.citizenshipRegion
  )
    return false;
  if (filter.organisationId !== undefined && facts.organisationId !== filter.organisationId)
    return false;
  return true;
}

/** The journeys an aggregate may be computed from: consented (unless configured off) and matching. */
export function selectCohort(
  facts: readonly JourneyFacts[],
  filter: CohortFilter,
  rules: PrivacyRules,
  asOf: string,
): JourneyFacts[] {
  return facts.filter(
    (row) => (!rules.requireConsent || consented(row, asOf)) && matches(row, filter),
  );
}
