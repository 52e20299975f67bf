import type { Role } from '@waypoint/contracts';
import { z } from 'zod';

/** Only auditors and supervisors call the audit service: every route declares this access. */
const AUDITORS: readonly Role[] = ['auditor', 'supervisor'];
export const auditorsOnly = { access: { roles: AUDITORS } };

export const journeyParams = z.object({ journeyId: z.uuid() });
export const orgParams = z.object({ orgId: z.uuid() });
export const instant = z.iso.datetime({ offset: true });

/** The period a report or an organisation's audit covers, and the date it is judged as of. */
export const period = z.object({
  from: instant.optional(),
  to: instant.optional(),
  asOf: instant.optional(),
});
export type Period = z.infer<typeof period>;

/** A row of a read model or report, documented as an object with its own fields. */
export const row = z.unknown().meta({ type: 'object', additionalProperties: true });
