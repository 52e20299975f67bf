import { z } from 'zod';
import { DEFAULT_SETTINGS, type IndicatorSettings } from './indicators/domain/indicators.js';
import { DEFAULT_PRIVACY, type PrivacyRules } from './indicators/domain/privacy.js';

const int = (fallback: number, floor: number) =>
  z.coerce.number().int().min(floor).max(1_000_000).default(fallback);

/**
 * The analytics service's settings, from the environment. The privacy thresholds can be raised,
 * never lowered below the published standards (CTDC's k = 11, a reporting resolution of 10), and
 * the consent to anonymous reporting cannot be switched off from here.
 */
export const analyticsConfigSchema = z.object({
  ANALYTICS_MIN_CELL: int(DEFAULT_PRIVACY.minCell, 10).describe(
    'A statistic computed from fewer journeys than this is suppressed (at least 10).',
  ),
  ANALYTICS_ROUND_TO: int(DEFAULT_PRIVACY.roundTo, 10).describe(
    'Published counts are rounded down to a multiple of this (at least 10).',
  ),
  ANALYTICS_MIN_AT_RISK: int(DEFAULT_PRIVACY.minAtRisk, 10).describe(
    'Kaplan–Meier curves stop where fewer than this many journeys remain at risk (at least 10).',
  ),
  ANALYTICS_K: int(DEFAULT_PRIVACY.k, 11).describe(
    'k of the k-anonymity of row-level exports over the CTDC quasi-identifiers (at least 11).',
  ),
  ANALYTICS_MAX_SUPPRESSED_SHARE: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(DEFAULT_PRIVACY.maxSuppressedShare)
    .describe(
      'An export generalises further while more than this share of rows would be suppressed.',
    ),
  ANALYTICS_GUARDIAN_WITHIN_HOURS: int(DEFAULT_SETTINGS.guardianWithinHours, 1).describe(
    'A guardian appointed within this many hours of an unaccompanied child being recorded is in time.',
  ),
  ANALYTICS_REVIEW_WINDOW_DAYS: int(DEFAULT_SETTINGS.reviewWindowDays, 1).describe(
    'A review counts for 3, 6 or 12 months when within this many days of that point.',
  ),
});
export type AnalyticsConfig = z.infer<typeof analyticsConfigSchema>;

export function privacyRulesOf(config: AnalyticsConfig): PrivacyRules {
  return {
    requireConsent: true,
    minCell: config.ANALYTICS_MIN_CELL,
    roundTo: config.ANALYTICS_ROUND_TO,
    minAtRisk: config.ANALYTICS_MIN_AT_RISK,
    k: config.ANALYTICS_K,
    maxSuppressedShare: config.ANALYTICS_MAX_SUPPRESSED_SHARE,
  };
}

export function indicatorSettingsOf(config: AnalyticsConfig): IndicatorSettings {
  return {
    guardianWithinHours: config.ANALYTICS_GUARDIAN_WITHIN_HOURS,
    reviewWindowDays: config.ANALYTICS_REVIEW_WINDOW_DAYS,
  };
}
