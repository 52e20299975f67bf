/** Stream names of the analytics service: one helper, so no name is spelt twice. */
export const streams = {
  /** One stream per row-level export: who produced it, when, with which filter. */
  export: (exportId: string): string => `analytics-export-${exportId}`,
};

export const categories = { analytics: 'analytics' } as const;
