/** Stream names of the reintegration service: one helper, so no name is spelt twice. */
export const streams = {
  journey: (journeyId: string): string => `reintegration-${journeyId}`,
  journeyAccess: (journeyId: string): string => `access-reintegration-${journeyId}`,
};

export const categories = {
  journey: 'reintegration',
  access: 'access-reintegration',
} as const;
