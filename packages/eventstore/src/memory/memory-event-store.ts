import {
  appendResultOf,
  checkExpectedRevision,
  detectReplay,
  nextRecordedAt,
} from '../append-rules.js';
import { BaseEventStore, type PreparedEvent } from '../base-event-store.js';
import { matchesFilter } from '../filter.js';
import { chainHash } from '../hash-chain.js';
import { counterPosition, parseCounterPosition } from '../position.js';
import type { RecordedEvent } from '@waypoint/contracts';
import type { AppendResult, ExpectedRevision, ReadAllBatch, ReadAllOptions } from '../types.js';
import type { AppendLimits } from '../validate-append.js';

export interface MemoryEventStoreOptions {
  /** The store's clock, for recordedAt. */
  readonly now?: () => Date;
  readonly limits?: AppendLimits;
}

/** Keeps events in this process: for unit tests and specifications. Same contract as the others. */
export class MemoryEventStore extends BaseEventStore {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly byId = new Map<string, RecordedEvent>();
  private readonly now: () => Date;

  constructor(options: MemoryEventStoreOptions = {}) {
    super(options.limits);
    this.now = options.now ?? (() => new Date());
  }

  protected appendPrepared(
    stream: string,
    expected: ExpectedRevision,
    events: readonly PreparedEvent[],
  ): Promise<AppendResult> {
    const existing = this.streams.get(stream) ?? [];
    const head = existing[existing.length - 1];
    const headRevision = head?.revision ?? null;
    const replay = detectReplay(
      stream,
      expected,
      events.map(({ event }) => event.id),
      events.map(({ event }) => this.byId.get(event.id)),
      headRevision,
    );
    if (replay) return Promise.resolve(appendResultOf(replay, true));
    checkExpectedRevision(stream, expected, headRevision);
    const recordedAt = nextRecordedAt(this.now(), head?.metadata.recordedAt);
    let prevHash = head?.hash ?? null;
    let revision = headRevision ?? -1;
    const recorded = events.map(({ event, payloadHash }) => {
      revision += 1;
      const hash = chainHash(prevHash, revision, recordedAt, payloadHash);
      const stored: RecordedEvent = structuredClone({
        ...event,
        metadata: { ...event.metadata, recordedAt },
        stream,
        revision,
        position: counterPosition(this.log.length + 1),
        prevHash,
        hash,
      });
      prevHash = hash;
      this.log.push(stored);
      this.byId.set(stored.id, stored);
      return stored;
    });
    this.streams.set(stream, [...existing, ...recorded]);
    const last = recorded[recorded.length - 1];
    if (!last) throw new Error('unreachable: an append holds at least one event');
    return Promise.resolve(appendResultOf(last, false));
  }

  protected readStreamPage(
    stream: string,
    from: number,
    direction: 'forwards' | 'backwards',
    limit: number,
  ): Promise<RecordedEvent[]> {
    const events = this.streams.get(stream) ?? [];
    const page =
      direction === 'forwards'
        ? events.slice(from, from + limit)
        : events
            .slice(
              Math.max(0, Math.min(from, events.length - 1) - limit + 1),
              Math.min(from, events.length - 1) + 1,
            )
            .reverse();
    return Promise.resolve(structuredClone(page));
  }

  protected readAllPage(
    options: ReadAllOptions & { readonly maxCount: number },
  ): Promise<ReadAllBatch> {
    let index = Number(parseCounterPosition(options.from ?? ''));
    const events: RecordedEvent[] = [];
    while (index < this.log.length && events.length < options.maxCount) {
      const event = this.log[index];
      index += 1;
      if (event && matchesFilter(options.filter, event.stream, event.type))
        events.push(structuredClone(event));
    }
    const position = index === 0 ? (options.from ?? '') : counterPosition(index);
    return Promise.resolve({ events, position, endOfLog: index >= this.log.length });
  }

  streamRevision(stream: string): Promise<number | null> {
    const events = this.streams.get(stream);
    return Promise.resolve(events?.[events.length - 1]?.revision ?? null);
  }

  protected closeStorage(): Promise<void> {
    return Promise.resolve();
  }
}
