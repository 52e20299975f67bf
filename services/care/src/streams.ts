/** Stream names of the care service: one helper, so no name is spelt twice. */
export const streams = {
  care: (journeyId: string): string => `care-${journeyId}`,
  access: (journeyId: string): string => `access-care-${journeyId}`,
};

export const categories = {
  care: 'care',
  access: 'access-care',
} as const;
