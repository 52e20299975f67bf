/** One event of a journey as the journey service keeps it: personal data still sealed. */
export interface TimelineEntry {
  readonly eventId: string;
  readonly journeyId: string;
  readonly stream: string;
  /** The service that recorded it: the stream's category. */
  readonly service: string;
  readonly revision: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: Readonly<Record<string, unknown>>;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly actor: { readonly userId: string; readonly role: string; readonly orgId: string };
  readonly legalBasis: string | null;
  readonly position: string;
}

/** The services whose streams make up a journey, by stream category. */
export const JOURNEY_SERVICES = [
  'identification',
  'shelter',
  'care',
  'legal',
  'reintegration',
] as const;
export type JourneyService = (typeof JOURNEY_SERVICES)[number];

const isJourneyService = (category: string): category is JourneyService =>
  JOURNEY_SERVICES.some((service) => service === category);

/**
 * The journey and service of a stream named `<service>-<journeyId>`, or undefined for streams
 * that are not a journey's (organisations, the shelter registry, access records).
 */
export function journeyOfStream(
  stream: string,
): { service: JourneyService; journeyId: string } | undefined {
  const dash = stream.indexOf('-');
  if (dash < 0) return undefined;
  const service = stream.slice(0, dash);
  const journeyId = stream.slice(dash + 1);
  if (!isJourneyService(service)) return undefined;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(journeyId))
    return undefined;
  return { service, journeyId: journeyId.toLowerCase() };
}

/** Happened order: occurred time, then the event id (UUIDv7, so recording order breaks ties). */
export function byOccurrence(a: TimelineEntry, b: TimelineEntry): number {
  if (a.occurredAt !== b.occurredAt) return a.occurredAt < b.occurredAt ? -1 : 1;
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}
