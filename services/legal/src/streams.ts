/** Stream names of the legal service: one helper, so no name is spelt twice. */
export const streams = {
  legal: (journeyId: string): string => `legal-${journeyId}`,
  access: (journeyId: string): string => `access-legal-${journeyId}`,
  /** Where the journeys this service records on are opened (read, never written, here). */
  identification: (journeyId: string): string => `identification-${journeyId}`,
};

export const categories = {
  legal: 'legal',
  access: 'access-legal',
} as const;
