import { z } from 'zod';

/**
 * Mistakes are corrected by new events, never by edits. Every service has these two; every reader
 * honours them through `effectiveEvents`: a retracted event stops counting, an amended event counts
 * with its replacement data, and both stay visible in the timeline and to the audit.
 */
export const eventRetracted = z.object({
  retractedEventId: z.uuid().describe('The event that should stop counting'),
  reasonCode: z
    .enum(['recorded-in-error', 'wrong-journey', 'duplicate', 'other'])
    .describe('Why it is retracted'),
  /** Free text: encrypted (notes). */
  explanation: z.unknown().optional().describe('Why, in words (free text, stored encrypted)'),
});

export const eventAmended = z.object({
  amendedEventId: z.uuid().describe('The event whose data is corrected'),
  reasonCode: z
    .enum(['data-entry-error', 'late-information', 'other'])
    .describe('Why it is amended'),
  /** The amended event's complete corrected data, valid for its type. */
  replacement: z
    .record(z.string(), z.unknown())
    .describe("The amended event's complete corrected data, valid for its type"),
});

export interface HistoryEntry<Event> {
  readonly eventId: string;
  readonly event: Event;
}

/**
 * The entries that count, in their order, after applying retractions and amendments. `dataEventId`
 * is the event whose data an entry now carries: the amendment's, for an amended event (its
 * encrypted fields were sealed with that event's id).
 */
export function effectiveEntries<Event extends { type: string; data: unknown }>(
  history: readonly HistoryEntry<Event>[],
): (HistoryEntry<Event> & { readonly dataEventId: string })[] {
  const retracted = new Set<string>();
  const replacements = new Map<string, { data: unknown; eventId: string }>();
  for (const { eventId, event } of history) {
    if (event.type === 'EventRetracted')
      retracted.add((event.data as { retractedEventId: string }).retractedEventId);
    if (event.type === 'EventAmended') {
      const { amendedEventId, replacement } = event.data as {
        amendedEventId: string;
        replacement: unknown;
      };
      replacements.set(amendedEventId, { data: replacement, eventId });
    }
  }
  return history
    .filter(
      ({ eventId, event }) =>
        !retracted.has(eventId) && event.type !== 'EventRetracted' && event.type !== 'EventAmended',
    )
    .map(({ eventId, event }) => {
      const replacement = replacements.get(eventId);
      return replacement
        ? { eventId, event: { ...event, data: replacement.data }, dataEventId: replacement.eventId }
        : { eventId, event, dataEventId: eventId };
    });
}

/** The events that count, in their order, after applying retractions and amendments. */
export function effectiveEvents<Event extends { type: string; data: unknown }>(
  history: readonly HistoryEntry<Event>[],
): Event[] {
  return effectiveEntries(history).map((entry) => entry.event);
}
