import { streamInCategory } from '../stream-name.js';
import type { ExpectedRevision, ReadAllFilter } from '../types.js';

/**
 * The meaning of the store's operations, written as plainly as possible and independent of every
 * adapter. The property test runs random operations on an adapter and on this model side by side.
 */
export interface ModelEvent {
  readonly id: string;
  readonly type: string;
  readonly stream: string;
  readonly revision: number;
}

export type ModelOutcome =
  | { readonly ok: true; readonly revision: number; readonly replayed: boolean }
  | { readonly ok: false; readonly code: string; readonly actual?: number | 'no_stream' };

export class ReferenceModel {
  readonly log: ModelEvent[] = [];

  head(stream: string): number | null {
    const events = this.log.filter((event) => event.stream === stream);
    return events.length === 0 ? null : events.length - 1;
  }

  append(
    stream: string,
    expected: ExpectedRevision,
    events: readonly { id: string; type: string }[],
  ): ModelOutcome {
    const head = this.head(stream);
    const stored = events.map((event) => this.log.find((candidate) => candidate.id === event.id));
    if (stored.some((event) => event !== undefined)) {
      const first = stored[0];
      const sameAppend =
        first !== undefined &&
        stored.every(
          (event, index) => event?.stream === stream && event.revision === first.revision + index,
        );
      if (!sameAppend) return { ok: false, code: 'DUPLICATE_EVENT_ID' };
      const retryOfIt =
        expected === 'any' ||
        expected === 'stream_exists' ||
        (expected === 'no_stream' && first.revision === 0) ||
        expected === first.revision - 1;
      if (!retryOfIt)
        return { ok: false, code: 'WRONG_EXPECTED_REVISION', actual: head ?? 'no_stream' };
      return { ok: true, revision: first.revision + events.length - 1, replayed: true };
    }
    const allowed =
      expected === 'any' ||
      (expected === 'no_stream' && head === null) ||
      (expected === 'stream_exists' && head !== null) ||
      expected === head;
    if (!allowed)
      return { ok: false, code: 'WRONG_EXPECTED_REVISION', actual: head ?? 'no_stream' };
    let revision = head ?? -1;
    for (const event of events) {
      revision += 1;
      this.log.push({ id: event.id, type: event.type, stream, revision });
    }
    return { ok: true, revision, replayed: false };
  }

  readStream(
    stream: string,
    direction: 'forwards' | 'backwards',
    from: number | undefined,
    maxCount: number | undefined,
  ): string[] {
    const events = this.log.filter((event) => event.stream === stream);
    const ordered =
      direction === 'forwards'
        ? events.filter((event) => event.revision >= (from ?? 0))
        : events.filter((event) => event.revision <= (from ?? Number.MAX_SAFE_INTEGER)).reverse();
    return ordered.slice(0, maxCount ?? ordered.length).map((event) => event.id);
  }

  readAll(filter: ReadAllFilter): string[] {
    return this.log
      .filter(
        (event) =>
          (!filter.eventTypes || filter.eventTypes.includes(event.type)) &&
          (!filter.categories ||
            filter.categories.some((category) => streamInCategory(event.stream, category))),
      )
      .map((event) => event.id);
  }
}
