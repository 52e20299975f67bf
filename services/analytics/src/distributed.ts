import {
  participantConfigSchema,
  startDistributedParticipant,
  type DistributedParticipant,
  type LogDestination,
} from '@waypoint/runtime';
import type { z } from 'zod';
import { analyticsConfigSchema, indicatorSettingsOf, privacyRulesOf } from './config.js';
import { analyticsService } from './service.js';

/**
 * The analytics service's settings in the distributed mode: the shared keys, those of its part in
 * erasures, and its thresholds.
 */
export const analyticsDistributedConfigSchema = participantConfigSchema(
  analyticsConfigSchema.shape,
);

export type AnalyticsDistributedConfig = z.output<typeof analyticsDistributedConfigSchema>;

/**
 * The analytics service on its own: the per-journey facts table is built from every write
 * service's events (their Kafka topics, or the shared store); export records go to its own store.
 */
export async function startDistributedAnalytics(
  config: AnalyticsDistributedConfig,
  logDestination?: LogDestination,
): Promise<DistributedParticipant> {
  return startDistributedParticipant(
    analyticsService({ privacy: privacyRulesOf(config), indicators: indicatorSettingsOf(config) }),
    config,
    logDestination,
  );
}
