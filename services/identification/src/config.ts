import { parseRetentionPolicy } from '@waypoint/privacy';
import { distributedConfigSchema, ERASURE_INTERVAL_MS } from '@waypoint/runtime';
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
    ERASURE_RETENTION: z
      .string()
      .default('')
      .refine((text) => {
        try {
          parseRetentionPolicy(text);
          return true;
        } catch {
          return false;
        }
      }, 'category=days pairs, e.g. health=730,notes=1825')
      .describe(
        "Days each category of personal data is kept after the person's last journey closed (e.g. health=730,notes=1825); empty: no retention erasure.",
      ),
    ERASURE_INTERVAL_MS: ERASURE_INTERVAL_MS.describe(
      "How often the erasure duties run: retention requests, this service's own confirmations, a key destruction a crash cut short; 0: never. The other services confirm on their own interval.",
    ),
  },
  [['BLIND_INDEX_KEY', 'BLIND_INDEX_KEY_FILE']],
);

export type IdentificationConfig = z.output<typeof identificationConfigSchema>;
