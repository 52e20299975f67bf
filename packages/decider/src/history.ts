/**
 * The events of a stream so far, newest first, as an immutable list: recording one is O(1), so
 * folding a long stream stays linear; it is turned into an array only when a decision needs the
 * whole of it (a correction). An entry is usually `HistoryEntry<Event>` from the contracts.
 */
export type History<Entry> =
  { readonly entry: Entry; readonly earlier: History<Entry> } | undefined;

/** The entries, oldest first. */
export function historyToArray<Entry>(history: History<Entry>): Entry[] {
  const entries: Entry[] = [];
  for (let cell = history; cell; cell = cell.earlier) entries.push(cell.entry);
  return entries.reverse();
}
