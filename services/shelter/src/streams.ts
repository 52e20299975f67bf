/** Stream names of the shelter service: one helper, so no name is spelt twice. */
export const streams = {
  journey: (journeyId: string): string => `shelter-${journeyId}`,
  shelter: (shelterId: string): string => `shelterregistry-${shelterId}`,
  journeyAccess: (journeyId: string): string => `access-shelter-${journeyId}`,
  /** Reads of a shelter's address: kept apart so that reading never moves the registry's revision. */
  addressAccess: (shelterId: string): string => `shelteraccess-${shelterId}`,
};

export const categories = {
  journey: 'shelter',
  registry: 'shelterregistry',
} as const;

/** The id inside a stream name of a category. */
export function idOf(stream: string, category: string): string {
  return stream.slice(category.length + 1);
}
