import { createHash } from 'node:crypto';

/** Stream names of the identification service: one helper, so no name is spelt twice. */
export const streams = {
  journey: (journeyId: string): string => `identification-${journeyId}`,
  person: (personId: string): string => `person-${personId}`,
  organisation: (orgId: string): string => `organisation-${orgId}`,
  journeyAccess: (journeyId: string): string => `access-identification-${journeyId}`,
  personAccess: (personId: string): string => `access-identification-person-${personId}`,
  /** Break-glass openings apart from the read records, so that checking one never scans the other. */
  breakGlass: (journeyId: string): string => `access-breakglass-${journeyId}`,
  /** User ids come from tokens and may hold any character: the stream is named by a digest. */
  grants: (userId: string): string =>
    `grant-${createHash('sha256').update(userId).digest('base64url').slice(0, 32)}`,
};

export const categories = {
  journey: 'identification',
  person: 'person',
  organisation: 'organisation',
  access: 'access-identification',
  breakGlass: 'access-breakglass',
  grants: 'grant',
} as const;
