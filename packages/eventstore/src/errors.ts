import type { ExpectedRevision } from './types.js';

/** Every error the store raises on purpose carries a stable code. */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
}

export class WrongExpectedRevisionError extends EventStoreError {
  readonly code = 'WRONG_EXPECTED_REVISION';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    /** The stream's last revision, or `no_stream`. */
    readonly actual: number | 'no_stream',
  ) {
    super(`Stream ${stream}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/** An event id already stored, but not as part of the same append. */
export class DuplicateEventIdError extends EventStoreError {
  readonly code = 'DUPLICATE_EVENT_ID';
  constructor(
    readonly stream: string,
    readonly eventIds: readonly string[],
  ) {
    super(`Stream ${stream}: event ids already stored elsewhere: ${eventIds.join(', ')}`);
    this.name = 'DuplicateEventIdError';
  }
}

/** Input the store refuses before it reads or writes anything: `field` names what is wrong. */
export class InvalidInputError extends EventStoreError {
  readonly code: string;
  constructor(
    code:
      | 'INVALID_STREAM_NAME'
      | 'INVALID_EVENT'
      | 'EVENT_TOO_LARGE'
      | 'INVALID_REVISION'
      | 'INVALID_POSITION'
      | 'BATCH_TOO_LARGE',
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.code = code;
    this.name = 'InvalidInputError';
  }
}

/** The store's file is held by another process. */
export class StoreLockedError extends EventStoreError {
  readonly code = 'STORE_LOCKED';
  constructor(readonly file: string) {
    super(`The event store ${file} is open in another process; only one process may write to it`);
    this.name = 'StoreLockedError';
  }
}

export class StoreClosedError extends EventStoreError {
  readonly code = 'STORE_CLOSED';
  constructor() {
    super('The event store is closed');
    this.name = 'StoreClosedError';
  }
}
