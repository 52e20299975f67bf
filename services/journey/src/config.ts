import { participantConfigSchema } from '@waypoint/runtime';
import type { z } from 'zod';

/**
 * The journey service's settings in the distributed mode: the keys every service shares, and those
 * of its part in erasures.
 */
export const journeyConfigSchema = participantConfigSchema({});

export type JourneyConfig = z.output<typeof journeyConfigSchema>;
