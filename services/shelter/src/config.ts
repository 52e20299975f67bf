import { distributedConfigSchema } from '@waypoint/runtime';
import type { z } from 'zod';

/** The shelter service's settings in the distributed mode: the keys every service shares. */
export const shelterConfigSchema = distributedConfigSchema({});

export type ShelterConfig = z.output<typeof shelterConfigSchema>;
