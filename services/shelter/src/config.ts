import { participantConfigSchema } from '@waypoint/runtime';
import type { z } from 'zod';

/**
 * The shelter service's settings in the distributed mode: the keys every service shares, and those
 * of its part in erasures.
 */
export const shelterConfigSchema = participantConfigSchema({});

export type ShelterConfig = z.output<typeof shelterConfigSchema>;
