import { participantConfigSchema } from '@waypoint/runtime';
import { z } from 'zod';

/**
 * The reintegration service's settings in the distributed mode: the shared keys, those of its part
 * in erasures, and its own.
 */
export const reintegrationConfigSchema = participantConfigSchema({
  RETURN_RISK_ASSESSMENT_MAX_AGE_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(365)
    .default(30)
    .describe(
      'How old the latest return risk assessment may be when an assisted return is decided (the jurisdiction sets it; CoE Art. 16(2)).',
    ),
});

export type ReintegrationServiceConfig = z.output<typeof reintegrationConfigSchema>;
