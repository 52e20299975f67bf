/** Stream names of the erasure workflow: one helper, so no name is spelt twice. */
export const erasureStreams = {
  request: (requestId: string): string => `erasure-${requestId}`,
  legalHolds: (personId: string): string => `legalhold-${personId}`,
};

export const erasureCategories = {
  request: 'erasure',
  legalHolds: 'legalhold',
  person: 'person',
  /** Where a journey is closed (`JourneyClosed`), which starts the retention clock. */
  closure: 'reintegration',
} as const;

/** Every service's streams of one journey: what an access export reads. */
export const journeyStreamsOf = (journeyId: string): string[] =>
  ['identification', 'shelter', 'care', 'legal', 'reintegration', 'audit'].map(
    (service) => `${service}-${journeyId}`,
  );

/** The id inside a stream name of a category. */
export const idOf = (stream: string, category: string): string => stream.slice(category.length + 1);
