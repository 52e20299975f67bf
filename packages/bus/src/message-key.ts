const TRAILING_UUID = /-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * Categories whose id is not a journey id (a person, an organisation, a shelter): their streams are
 * keyed by the stream name. Each stream still keeps its order, since its key never changes.
 */
export const NOT_JOURNEY_CATEGORIES: readonly string[] = [
  'person',
  'organisation',
  'shelterregistry',
  'shelteraccess',
];

/**
 * The message key of a stream's events: its journey id, the UUID that ends the stream name
 * (`shelter-<uuid>`, `access-shelter-<uuid>`), so that every event of one journey, in every
 * category of the service, lands in one partition and keeps its order. A stream whose name does
 * not end with a UUID, or whose category is not about a journey, is keyed by its whole name.
 */
export function messageKey(
  stream: string,
  notJourneyCategories: readonly string[] = NOT_JOURNEY_CATEGORIES,
): string {
  const match = TRAILING_UUID.exec(stream);
  if (!match?.[1]) return stream;
  const category = stream.slice(0, match.index);
  if (notJourneyCategories.includes(category)) return stream;
  return match[1].toLowerCase();
}
