import type { JourneyFacts } from '../../facts/domain/journey-facts.js';
import { quarterOf, yearOf } from './cohort.js';
import { computeIndicators, type IndicatorContext, type IndicatorResult } from './indicators.js';
import { publishCount, type Statistic } from './privacy.js';

export const BREAKDOWN_KEYS = [
  'year',
  'quarter',
  'gender',
  'ageBand',
  'child',
  'exploitationType',
  'citizenshipRegion',
  'organisation',
] as const;
export type BreakdownKey = (typeof BREAKDOWN_KEYS)[number];

/** The group(s) a journey falls in; a journey with several exploitation types is in each. */
export function groupsOf(row: JourneyFacts, key: BreakdownKey): string[] {
  switch (key) {
    case 'year':
      return [String(yearOf(row.identifiedAt) ?? 'unknown')];
    case 'quarter': {
      const year = yearOf(row.identifiedAt);
      return [
        year === null ? 'unknown' : `${String(year)}-Q${String(quarterOf(row.identifiedAt))}`,
      ];
    }
    case 'gender':
      return [row.gender];
    case 'ageBand':
      return [row.ageBand];
    case 'child':
      return [row.child ? 'child' : 'adult'];
    case 'exploitationType':
      return row.exploitationTypes.length > 0 ? [...row.exploitationTypes] : ['unknown'];
    case 'citizenshipRegion':
      return [row.citizenshipRegion];
    case 'organisation':
      return [row.organisationId ?? 'unknown'];
  }
}

export interface BreakdownGroup {
  readonly value: string;
  readonly journeys: Statistic;
  readonly indicators: IndicatorResult[];
}

export const OTHER = 'other';

/**
 * The indicators per group. Groups with fewer journeys than the smallest publishable cell are
 * pooled into `other` (Polaris practice), so that a rare value is not even named; `other` itself
 * is suppressed like any cell when it stays small.
 */
export function breakdown(
  cohort: readonly JourneyFacts[],
  key: BreakdownKey,
  context: IndicatorContext,
): BreakdownGroup[] {
  const groups = new Map<string, JourneyFacts[]>();
  for (const row of cohort) {
    for (const value of groupsOf(row, key)) {
      const members = groups.get(value);
      if (members) members.push(row);
      else groups.set(value, [row]);
    }
  }
  const kept = new Map<string, JourneyFacts[]>();
  const other = new Map<string, JourneyFacts>();
  for (const [value, rows] of groups) {
    if (rows.length >= context.rules.minCell && value !== OTHER) kept.set(value, rows);
    else for (const row of rows) other.set(row.journeyId, row);
  }
  const ordered = [...kept].sort(([a], [b]) => a.localeCompare(b));
  if (other.size > 0) ordered.push([OTHER, [...other.values()]]);
  return ordered.map(([value, rows]) => ({
    value,
    journeys: publishCount(rows.length, context.rules),
    indicators: computeIndicators(rows, context),
  }));
}
