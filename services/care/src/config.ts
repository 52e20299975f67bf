import { participantConfigSchema } from '@waypoint/runtime';
import type { z } from 'zod';

/**
 * The care service's settings in the distributed mode: the keys every service shares, and those of
 * its part in erasures.
 */
export const careConfigSchema = participantConfigSchema({});

export type CareConfig = z.output<typeof careConfigSchema>;
