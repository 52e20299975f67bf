import { z } from 'zod';
import { CATEGORIES } from './access.js';
import type { EventDefinition } from './classification.js';
import { plannedInstant } from './dates.js';
import { EventFamily } from './event-family.js';
import { freeText, sealed } from './sealed.js';

/**
 * Records of access to personal data. Every service that returns personal data appends one to its
 * own `access-<service>-<subject>` stream before answering; if it cannot, the read fails.
 */
export const accessEventData = {
  PersonalDataRead: z.object({
    subjectKind: z.enum(['journey', 'person']),
    subjectId: z.uuid(),
    userId: z.string().min(1).max(200),
    orgId: z.uuid(),
    roles: z.array(z.string()).min(1),
    /** The categories actually decrypted for the reader. */
    categories: z.array(z.enum(CATEGORIES)),
    route: z.string().max(200),
    breakGlass: z.boolean(),
  }),
  BreakGlassAccessed: z.object({
    journeyId: z.uuid(),
    userId: z.string().min(1).max(200),
    orgId: z.uuid(),
    reason: sealed(freeText),
    expiresAt: plannedInstant,
  }),
} as const;

export const grantEventData = {
  AuditorMandateGranted: z.object({
    mandateId: z.uuid(),
    auditorUserId: z.string().min(1).max(200),
    orgIds: z.array(z.uuid()).min(1).max(100),
    from: plannedInstant,
    until: plannedInstant,
    grantedBy: z.string().min(1).max(200),
  }),
  AuditorMandateRevoked: z.object({ mandateId: z.uuid() }),
} as const;

type EventOf<Schemas extends Record<string, z.ZodType>> = {
  [Type in keyof Schemas & string]: { readonly type: Type; readonly data: z.infer<Schemas[Type]> };
}[keyof Schemas & string];
export type AccessEvent = EventOf<typeof accessEventData>;
export type GrantEvent = EventOf<typeof grantEventData>;

const define = (
  type: string,
  encrypted: EventDefinition['encrypted'],
  description: string,
): EventDefinition => ({
  type,
  schemaVersion: 1,
  origin: 'record',
  encrypted,
  description,
});

export const accessFamily = new EventFamily<AccessEvent>('access', accessEventData, [
  define(
    'PersonalDataRead',
    {},
    'Someone read personal data of a journey or a person: who, which categories, through which route.',
  ),
  define(
    'BreakGlassAccessed',
    { reason: 'notes' },
    'A user opened a journey outside their normal access, with a reason, for a limited time; reviewed later.',
  ),
]);

export const grantFamily = new EventFamily<GrantEvent>('grant', grantEventData, [
  define('AuditorMandateGranted', {}, "An auditor's mandate over organisations for a period."),
  define('AuditorMandateRevoked', {}, 'A mandate ended early.'),
]);
