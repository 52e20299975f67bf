import { effectiveEntries } from '@waypoint/contracts';
import { emptySummary, evolveSummary, type JourneySummary } from './summary.js';
import { byOccurrence, type TimelineEntry } from './timeline-entry.js';

/** Corrections are events too; they change what the events they name say, not the summary directly. */
export const isCorrection = (entry: TimelineEntry): boolean =>
  entry.type === 'EventRetracted' || entry.type === 'EventAmended';

/**
 * The summary of a journey from its whole timeline: corrections applied (a retracted event stops
 * counting, an amended one counts with its replacement data), then the events folded in the
 * order they happened, so the recording order never changes the result.
 */
export function summarise(journeyId: string, entries: readonly TimelineEntry[]): JourneySummary {
  const effective = effectiveEntries(
    entries.map((entry) => ({ eventId: entry.eventId, event: entry })),
  ).map(({ event }) => event);
  return [...effective].sort(byOccurrence).reduce(evolveSummary, emptySummary(journeyId));
}

/**
 * Can `entry` be folded into a summary kept so far, or must the journey be summarised again from
 * its timeline? Only a plain event that happened no earlier than everything folded so far may be
 * folded: corrections and late-recorded events of the past change the order of history.
 */
export function foldsIncrementally(summary: JourneySummary, entry: TimelineEntry): boolean {
  return (
    !isCorrection(entry) &&
    (summary.lastOccurredAt === null || entry.occurredAt >= summary.lastOccurredAt)
  );
}
