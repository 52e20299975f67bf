/** Stream names the audit service reads and writes: one helper, so no name is spelt twice. */
export const streams = {
  /** The audit service's own stream per journey: finding lifecycle events. */
  audit: (journeyId: string): string => `audit-${journeyId}`,
  /** Reads of personal data through the audit service (decision rationale shown to supervisors). */
  access: (journeyId: string): string => `access-audit-${journeyId}`,
  /** Where the write services keep a journey, and the person registry. */
  journeyStreams: (journeyId: string): string[] =>
    ['identification', 'shelter', 'care', 'legal', 'reintegration'].map(
      (category) => `${category}-${journeyId}`,
    ),
  person: (personId: string): string => `person-${personId}`,
};

export const categories = {
  audit: 'audit',
  access: 'access',
  journey: ['identification', 'person', 'shelter', 'care', 'legal', 'reintegration'],
} as const;
