import { distributedConfigSchema } from '@waypoint/runtime';
import type { z } from 'zod';

/** The journey service's settings in the distributed mode: the keys every service shares. */
export const journeyConfigSchema = distributedConfigSchema({});

export type JourneyConfig = z.output<typeof journeyConfigSchema>;
