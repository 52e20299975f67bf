import type { EventDefinition } from '../classification.js';
import { EventFamily } from '../event-family.js';
import { freeText, sealed } from '../sealed.js';
import { z } from 'zod';

/**
 * The audit service's own events, in `audit-<journeyId>`: what reviewers did with findings. A flag
 * can be acknowledged or dismissed with a reason; a breach can only be annotated.
 */
const findingKey = z.string().min(1).max(2_000);
export const FINDING_REASON_CODES = [
  'reviewed_justified',
  'remedied',
  'recorded_in_error',
  'outside_body_notified',
  'follow_up_planned',
  'other',
] as const;

export const auditEventData = {
  FindingAcknowledged: z.object({
    findingKey,
    journeyId: z.uuid(),
    ruleId: z.string().max(20),
    reasonCode: z.enum(FINDING_REASON_CODES),
    note: sealed(freeText).optional(),
  }),
  FindingDismissed: z.object({
    findingKey,
    journeyId: z.uuid(),
    ruleId: z.string().max(20),
    reasonCode: z.enum(FINDING_REASON_CODES),
    note: sealed(freeText).optional(),
  }),
  FindingAnnotated: z.object({
    findingKey,
    journeyId: z.uuid(),
    ruleId: z.string().max(20),
    reasonCode: z.enum(FINDING_REASON_CODES),
    note: sealed(freeText).optional(),
  }),
} as const;

export type AuditEvent = {
  [Type in keyof typeof auditEventData]: {
    readonly type: Type;
    readonly data: z.infer<(typeof auditEventData)[Type]>;
  };
}[keyof typeof auditEventData];

const define = (type: keyof typeof auditEventData, description: string): EventDefinition => ({
  type,
  schemaVersion: 1,
  origin: 'record',
  encrypted: { note: 'notes' },
  description,
});

export const auditFamily = new EventFamily<AuditEvent>('audit', auditEventData, [
  define('FindingAcknowledged', 'A reviewer acknowledged a flag, with a reason.'),
  define('FindingDismissed', 'A reviewer dismissed a flag, with a reason (never a breach).'),
  define('FindingAnnotated', 'A reviewer annotated a finding (the only change a breach allows).'),
]);
