import type { EventDefinition } from '../classification.js';
import { EventFamily } from '../event-family.js';
import { z } from 'zod';

/**
 * The analytics service's own events (`analytics-export-<exportId>`): every row-level export, who
 * produced it, when, with which filter and what the anonymisation did. Coarse codes only.
 */
export const analyticsEventData = {
  CtdcExportProduced: z.object({
    exportId: z.uuid(),
    userId: z.string().min(1).max(200),
    orgId: z.string().min(1).max(200),
    roles: z.array(z.string()).min(1),
    filter: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    k: z.number().int().min(2),
    rows: z.number().int().min(0),
    suppressedRows: z.number().int().min(0),
    generalisation: z.array(z.string()),
  }),
} as const;

export type AnalyticsEvent = {
  [Type in keyof typeof analyticsEventData]: {
    readonly type: Type;
    readonly data: z.infer<(typeof analyticsEventData)[Type]>;
  };
}[keyof typeof analyticsEventData];

const DEFINITIONS: readonly EventDefinition[] = [
  {
    type: 'CtdcExportProduced',
    schemaVersion: 1,
    origin: 'record',
    encrypted: {},
    description:
      'A data-protection officer produced a k-anonymous CTDC-shaped row-level export: who, when, which filter.',
  },
];

export const analyticsFamily = new EventFamily<AnalyticsEvent>(
  'analytics',
  analyticsEventData,
  DEFINITIONS,
);
