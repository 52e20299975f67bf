import type { EventStore, RecordedEvent } from '@waypoint/eventstore';
import type { ProgressSink } from './progress.js';

/** Where the store's log ends now, as a number (0: empty). */
export async function headPosition(store: EventStore): Promise<number> {
  let from = '';
  for (;;) {
    // A filter nothing matches: the batch reports how far it scanned, without reading events out.
    const batch = await store.readAllBatch({
      from,
      filter: { eventTypes: ['(no event has this type)'] },
      maxCount: 1,
    });
    if (batch.endOfLog || batch.position === from) return Number(batch.position || 0);
    from = batch.position;
  }
}

/**
 * Follows projections catching up: each reports the position of the last event it applied; the
 * work done is their mean share of the log (a projection that skips the last events by its filter
 * shows less than all, until `finish`).
 */
export class CatchUpProgress {
  private readonly reached = new Map<string, number>();

  readonly onApplied = (name: string, events: readonly RecordedEvent[]): void => {
    const last = events.at(-1);
    if (last) this.reached.set(name, Number(last.position));
    this.report?.();
  };

  private report: (() => void) | undefined;

  private finishing: (() => void) | undefined;

  /**
   * Shows the catching up of `projections` read models to `head` from now: called before the
   * projections start, since starting them already applies the first batches.
   */
  begin(head: number, projections: number, sink: ProgressSink, label: string): void {
    const progress = sink(label, head);
    this.report = () => {
      let sum = 0;
      for (const position of this.reached.values()) sum += Math.min(position, head);
      progress.update(Math.floor(sum / Math.max(1, projections)));
    };
    this.finishing = () => {
      progress.finish();
    };
  }

  /** Waits until `caughtUp` settles, then finishes what `begin` shows. */
  async follow(caughtUp: Promise<void>): Promise<void> {
    try {
      await caughtUp;
      this.finishing?.();
    } finally {
      this.report = undefined;
      this.finishing = undefined;
    }
  }
}
