import { distributedConfigSchema } from '@waypoint/runtime';
import type { z } from 'zod';

/** The care service's settings in the distributed mode: the keys every service shares. */
export const careConfigSchema = distributedConfigSchema({});

export type CareConfig = z.output<typeof careConfigSchema>;
