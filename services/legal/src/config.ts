import { participantConfigSchema } from '@waypoint/runtime';
import type { z } from 'zod';

/**
 * The legal service's settings in the distributed mode: the keys every service shares, and those of
 * its part in erasures.
 */
export const legalConfigSchema = participantConfigSchema({});

export type LegalConfig = z.output<typeof legalConfigSchema>;
