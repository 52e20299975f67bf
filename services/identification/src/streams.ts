import { grantStream } from '@waypoint/journey-facts';

/** Stream names of the identification service: one helper, so no name is spelt twice. */
export const streams = {
  journey: (journeyId: string): string => `identification-${journeyId}`,
  person: (personId: string): string => `person-${personId}`,
  organisation: (orgId: string): string => `organisation-${orgId}`,
  journeyAccess: (journeyId: string): string => `access-identification-${journeyId}`,
  personAccess: (personId: string): string => `access-identification-person-${personId}`,
  /** Break-glass openings apart from the read records, so that checking one never scans the other. */
  breakGlass: (journeyId: string): string => `access-breakglass-${journeyId}`,
  /** A user's auditor mandates (journey-facts reads them: `mandateOrgIds`). */
  grants: grantStream,
};

export const categories = {
  journey: 'identification',
  person: 'person',
  organisation: 'organisation',
  access: 'access-identification',
  breakGlass: 'access-breakglass',
  grants: 'grant',
} as const;
