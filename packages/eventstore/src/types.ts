import type { NewEvent, Position, RecordedEvent } from '@waypoint/contracts';

/** `START` comes before every event: reading from it reads the whole log. */
export const START: Position = '';

/** `any`: no check. `no_stream`: the stream must not exist. `stream_exists`: it must. n: its last revision must be n. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export interface AppendOptions {
  readonly expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the last event appended: the expected revision for the next append. */
  readonly revision: number;
  readonly position: Position;
  readonly recordedAt: string;
  /** Hash of the new stream head. */
  readonly hash: string;
  /** True when these event ids were already stored by an earlier identical append, and nothing was written. */
  readonly replayed: boolean;
}

export interface ReadStreamOptions {
  /** First revision to read (inclusive). Default: 0 forwards, the last revision backwards. */
  readonly from?: number;
  readonly direction?: 'forwards' | 'backwards';
  readonly maxCount?: number;
}

export interface ReadAllFilter {
  /** Stream categories: `identification` matches `identification-<id>`; `access` matches `access-journey-<id>`. */
  readonly categories?: readonly string[];
  readonly eventTypes?: readonly string[];
}

export interface ReadAllOptions {
  /** Read the events after this position. Default: START. */
  readonly from?: Position;
  readonly filter?: ReadAllFilter;
  readonly maxCount?: number;
}

export interface ReadAllBatch {
  readonly events: RecordedEvent[];
  /**
   * How far the log was scanned: after the last event returned, or further when a filter skipped
   * events. Reading again from it never skips or repeats an event.
   */
  readonly position: Position;
  /** True when nothing more was readable when the batch was read. */
  readonly endOfLog: boolean;
}

export type VerifyResult =
  | {
      readonly ok: true;
      readonly stream: string;
      readonly events: number;
      readonly headHash: string | null;
    }
  | {
      readonly ok: false;
      readonly stream: string;
      readonly events: number;
      readonly brokenAt: {
        readonly revision: number;
        readonly eventId: string;
        readonly reason: 'payload-altered' | 'chain-broken' | 'revision-gap';
      };
    };

export interface SubscribeOptions {
  readonly from?: Position;
  readonly filter?: ReadAllFilter;
  readonly batchSize?: number;
  /** How long to wait for a wake-up before reading again anyway. */
  readonly pollIntervalMs?: number;
  /**
   * Once caught up, how long to let new events gather after a wake-up before reading them: a
   * reader that forwards batches (a relay) then sends a few large batches instead of one per
   * event. Default 0 (read at once).
   */
  readonly gatherMs?: number;
}

export interface SubscriptionBatch {
  readonly events: readonly RecordedEvent[];
  /** The checkpoint to store with the effects of this batch. */
  readonly position: Position;
}

export type SubscriptionHandler = (batch: SubscriptionBatch) => Promise<void> | void;

export interface Subscription {
  /** The position after the last batch the handler completed. */
  readonly position: Position;
  /** Resolves once every event committed before the call has been handled. */
  whenCaughtUp(): Promise<void>;
  /** Stops reading; resolves when the handler is no longer running. */
  stop(): Promise<void>;
  /** Resolves when stopped; rejects with the handler's error if it failed (the subscription then stops). */
  readonly done: Promise<void>;
}

export interface EventStore {
  append(
    stream: string,
    events: readonly NewEvent[],
    options?: AppendOptions,
  ): Promise<AppendResult>;
  /** The stream's events, fetched in pages so that memory does not grow with the stream. */
  readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  /** The last revision of the stream, or null when it does not exist. */
  streamRevision(stream: string): Promise<number | null>;
  /** One page of the global log, for checkpointed readers. */
  readAllBatch(options: ReadAllOptions & { readonly maxCount: number }): Promise<ReadAllBatch>;
  /** The global log from a position to its current end, fetched in pages. */
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  /** Catch up from a checkpoint, then follow new events live. */
  subscribe(options: SubscribeOptions, handler: SubscriptionHandler): Subscription;
  /** Recompute the stream's hash chain and name the first event that does not match. */
  verifyStream(stream: string): Promise<VerifyResult>;
  close(): Promise<void>;
}
