/**
 * The publication rules every aggregate passes through before it leaves the service. Safe by
 * default: CTDC's published k = 11 for rows, synthetic-data-showcase's reporting resolution of 10
 * for counts (small cells suppressed, the rest rounded down).
 */
export interface PrivacyRules {
  /** Only journeys with a consent to anonymous reporting count at all. */
  readonly requireConsent: boolean;
  /** A statistic computed from fewer journeys than this is suppressed. */
  readonly minCell: number;
  /** Published counts are rounded down to a multiple of this. */
  readonly roundTo: number;
  /** A Kaplan–Meier curve stops where fewer than this remain at risk. */
  readonly minAtRisk: number;
  /** Every row of a row-level export shares its quasi-identifiers with at least k - 1 others. */
  readonly k: number;
  /** An export generalises further while more than this share of its rows would be suppressed. */
  readonly maxSuppressedShare: number;
}

export const DEFAULT_PRIVACY: PrivacyRules = {
  requireConsent: true,
  minCell: 10,
  roundTo: 10,
  minAtRisk: 10,
  k: 11,
  maxSuppressedShare: 0.05,
};

export type SuppressionReason = 'too_few_journeys' | 'small_cell';

/** A number as published: its value and its (rounded) base, or the fact that it was suppressed. */
export type Statistic =
  | { readonly status: 'published'; readonly value: number; readonly n: number }
  | { readonly status: 'suppressed'; readonly reason: SuppressionReason };

const suppressed = (reason: SuppressionReason): Statistic => ({ status: 'suppressed', reason });

/** A count rounded down to the resolution; null when it is under the smallest publishable cell. */
export function roundedCount(count: number, rules: PrivacyRules): number | null {
  const rounded = Math.floor(count / rules.roundTo) * rules.roundTo;
  return count < rules.minCell || rounded < rules.minCell ? null : rounded;
}

export function publishCount(count: number, rules: PrivacyRules): Statistic {
  const rounded = roundedCount(count, rules);
  return rounded === null
    ? suppressed('too_few_journeys')
    : { status: 'published', value: rounded, n: rounded };
}

/**
 * A share in whole percent. Suppressed when its base is too small, or when the part that has (or
 * has not) the attribute is a small non-zero cell: 2 of 40 would single out two people. A zero
 * is published (nobody in the cohort), as synthetic-data-showcase treats zeros.
 */
export function publishShare(
  numerator: number,
  denominator: number,
  journeys: number,
  rules: PrivacyRules,
): Statistic {
  const base = roundedCount(denominator, rules);
  if (base === null || journeys < rules.minCell) return suppressed('too_few_journeys');
  const small = (cell: number): boolean => cell > 0 && cell < rules.minCell;
  if (small(numerator) || small(denominator - numerator)) return suppressed('small_cell');
  return { status: 'published', value: Math.round((100 * numerator) / denominator), n: base };
}

/** A median (whole numbers when `digits` is 0) of at least `minCell` journeys' values. */
export function publishMedian(
  values: readonly number[],
  rules: PrivacyRules,
  digits = 0,
): Statistic {
  const base = roundedCount(values.length, rules);
  if (base === null) return suppressed('too_few_journeys');
  return { status: 'published', value: roundTo(median(values), digits), n: base };
}

export function publishMean(values: readonly number[], rules: PrivacyRules, digits = 2): Statistic {
  const base = roundedCount(values.length, rules);
  if (base === null) return suppressed('too_few_journeys');
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return { status: 'published', value: roundTo(mean, digits), n: base };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}

function roundTo(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
