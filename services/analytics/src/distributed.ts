import {
  participantConfigSchema,
  startDistributedParticipant,
  type DistributedParticipant,
  type LogDestination,
} from '@waypoint/runtime';
import type { z } from 'zod';
import { registerAnalytics } from './app.js';
import { analyticsConfigSchema, indicatorSettingsOf, privacyRulesOf } from './config.js';
import { journeyFactsProjection, sqlFactsSource } from './facts/journey-facts-projection.js';

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
    {
      name: 'analytics',
      projections: { list: [journeyFactsProjection], source: 'services' },
      register: (app, context) => {
        const engine = context.readModels();
        return registerAnalytics(app, {
          facts: sqlFactsSource(engine.db, () => engine.schemaOf(journeyFactsProjection.name)),
          store: context.store,
          privacy: privacyRulesOf(config),
          settings: indicatorSettingsOf(config),
          now: context.now,
          newId: context.newId,
        });
      },
    },
    config,
    logDestination,
  );
}
