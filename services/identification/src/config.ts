import { distributedConfigSchema } from '@waypoint/runtime';
import { z } from 'zod';

/** The identification service's settings in the distributed mode: the shared keys and its own. */
export const identificationConfigSchema = distributedConfigSchema(
  {
    BLIND_INDEX_KEY: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Key of the blind indexes that find persons by name (base64 of 32 bytes). Set this or BLIND_INDEX_KEY_FILE.',
      ),
    BLIND_INDEX_KEY_FILE: z
      .string()
      .min(1)
      .optional()
      .describe('File holding the blind index key. Set this or BLIND_INDEX_KEY.'),
    BREAK_GLASS_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(1_440)
      .default(60)
      .describe('How long a break-glass opening lasts.'),
  },
  [['BLIND_INDEX_KEY', 'BLIND_INDEX_KEY_FILE']],
);

export type IdentificationConfig = z.output<typeof identificationConfigSchema>;
