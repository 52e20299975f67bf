import { distributedConfigSchema } from '@waypoint/runtime';
import type { z } from 'zod';

/** The legal service's settings in the distributed mode: the keys every service shares. */
export const legalConfigSchema = distributedConfigSchema({});

export type LegalConfig = z.output<typeof legalConfigSchema>;
